import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Which way bytes travel through the proxy. */
export type Direction = 'toServer' | 'toClient';

/** What the proxy does with one accepted connection. */
export type ConnectionPlan =
  /** Pass everything through both ways. */
  | { readonly kind: 'forward' }
  /** Answer with `text` and close, never reaching the server (an overloaded server's refusal). */
  | { readonly kind: 'refuse'; readonly text: string }
  /** Accept and say nothing, ever: a server that hangs before its banner. */
  | { readonly kind: 'silent' }
  /**
   * Forward until `afterBytes` went `direction`, then reset both sides (a dropped link). On an FTP data
   * connection, `withControl` resets its control connection too, as a link that drops takes everything.
   */
  | { readonly kind: 'cut'; readonly direction: Direction; readonly afterBytes: number; readonly withControl?: boolean }
  /** Forward until `afterBytes` went `direction`, then forward nothing more but keep both sides open. */
  | { readonly kind: 'stall'; readonly direction: Direction; readonly afterBytes: number }
  /**
   * FTP control connections only: forward until the client sends a command matching `command`, then reset
   * both sides before that command reaches the server (the link drops at that very step).
   */
  | { readonly kind: 'cutAtCommand'; readonly command: RegExp };

export const FORWARD: ConnectionPlan = { kind: 'forward' };

export interface FaultProxyOptions {
  readonly targetHost: string;
  readonly targetPort: number;
  /** Decides each connection's fate; `index` counts accepted connections from 0. */
  readonly plan: (index: number, counters: Readonly<FaultCounters>) => ConnectionPlan;
  /**
   * Treat connections as plain-text FTP control connections: passive replies (227, 229) are rewritten
   * to point at proxy listeners, so data connections pass through the proxy too, each under
   * `dataPlan(index)`; the commands the client sends are recorded in `commands`.
   */
  readonly ftpDataPlan?: (index: number, counters: Readonly<FaultCounters>) => ConnectionPlan;
}

export interface FaultCounters {
  accepted: number;
  refused: number;
  silent: number;
  cuts: number;
  stalls: number;
  dataAccepted: number;
}

export interface FaultProxy {
  readonly port: number;
  readonly counters: Readonly<FaultCounters>;
  /** FTP mode only: every command line the client sent, in order, over all control connections. */
  readonly commands: ReadonlyArray<string>;
  /**
   * Resets every stalled connection, as the server's own idle timeout would end the session stuck on it
   * (and whatever that session holds, such as vsftpd's lock on a file being uploaded).
   */
  endStalled(): void;
  /** Closes the listeners and every connection still open. */
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy that misbehaves on purpose, once per connection as planned: the real servers
 * cannot be told to drop a link at byte N, to stall mid-transfer or to refuse a login for being busy.
 */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const counters: FaultCounters = { accepted: 0, refused: 0, silent: 0, cuts: 0, stalls: 0, dataAccepted: 0 };
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const servers = new Set<Server>();
  const stalled = new Set<Socket>();

  const track = (s: Socket): Socket => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A reset is the point of some plans; it must not surface as an unhandled error.
    s.on('error', () => undefined);
    return s;
  };

  const control = createServer((client) => {
    track(client);
    const plan = opts.plan(counters.accepted++, counters);
    if (plan.kind === 'refuse') {
      counters.refused++;
      client.end(plan.text);
      return;
    }
    if (plan.kind === 'silent') {
      counters.silent++;
      return;
    }
    const upstream = track(connect({ host: opts.targetHost, port: opts.targetPort }));
    const resetControl = (): void => {
      for (const s of [client, upstream]) if (!s.destroyed) s.resetAndDestroy();
    };
    const rewrite = opts.ftpDataPlan === undefined ? undefined : passiveRewriter(opts.ftpDataPlan, resetControl);
    splice(client, upstream, plan, rewrite, opts.ftpDataPlan === undefined ? undefined : commands, undefined);
  });

  /** Turns server-to-client control bytes into the same bytes with passive replies pointing here. */
  function passiveRewriter(
    dataPlan: NonNullable<FaultProxyOptions['ftpDataPlan']>,
    resetControl: () => void,
  ): (chunk: Buffer) => Promise<Buffer> {
    let pending = '';
    return async (chunk) => {
      pending += chunk.toString('latin1');
      const end = pending.lastIndexOf('\n');
      if (end < 0) return Buffer.alloc(0);
      const complete = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      const lines = complete.split(/(?<=\n)/);
      const out: string[] = [];
      for (const line of lines) {
        const pasv = /^227 .*?(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(line);
        const epsv = /^229 .*\(\|\|\|(\d{1,5})\|\)/.exec(line);
        if (pasv !== null) {
          const port = await dataListener(Number(pasv[5]) * 256 + Number(pasv[6]), dataPlan, resetControl);
          out.push(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).\r\n`);
        } else if (epsv !== null) {
          const port = await dataListener(Number(epsv[1]), dataPlan, resetControl);
          out.push(`229 Entering Extended Passive Mode (|||${port}|)\r\n`);
        } else {
          out.push(line);
        }
      }
      return Buffer.from(out.join(''), 'latin1');
    };
  }

  /** One listener per passive reply, accepting the single data connection the client opens. */
  async function dataListener(
    serverPort: number,
    dataPlan: NonNullable<FaultProxyOptions['ftpDataPlan']>,
    resetControl: () => void,
  ): Promise<number> {
    const listener = createServer((client) => {
      track(client);
      listener.close();
      servers.delete(listener);
      const plan = dataPlan(counters.dataAccepted++, counters);
      if (plan.kind === 'refuse') {
        counters.refused++;
        client.end(plan.text);
        return;
      }
      if (plan.kind === 'silent') {
        counters.silent++;
        return;
      }
      const upstream = track(connect({ host: opts.targetHost, port: serverPort }));
      splice(client, upstream, plan, undefined, undefined, resetControl);
    });
    servers.add(listener);
    await listen(listener);
    return (listener.address() as AddressInfo).port;
  }

  /** Joins two sockets under a plan: counts bytes each way and cuts or stalls when the plan says. */
  function splice(
    client: Socket,
    upstream: Socket,
    plan: Exclude<ConnectionPlan, { kind: 'refuse' | 'silent' }>,
    rewrite: ((chunk: Buffer) => Promise<Buffer>) | undefined,
    record: string[] | undefined,
    resetControl: (() => void) | undefined,
  ): void {
    const sent: Record<Direction, number> = { toServer: 0, toClient: 0 };
    let halted = false;
    let commandLine = '';
    const halt = (): void => {
      halted = true;
      if (plan.kind === 'cut' || plan.kind === 'cutAtCommand') {
        counters.cuts++;
        for (const s of [client, upstream]) if (!s.destroyed) s.resetAndDestroy();
        if (plan.kind === 'cut' && plan.withControl === true) resetControl?.();
      } else {
        counters.stalls++;
        client.pause();
        upstream.pause();
        stalled.add(client).add(upstream);
      }
    };
    /** Writes what the plan still allows, and halts once the plan's byte budget is spent. */
    const pass = (direction: Direction, to: Socket, from: Socket, chunk: Buffer): void => {
      if (halted || chunk.length === 0) return;
      let part = chunk;
      let last = false;
      if ((plan.kind === 'cut' || plan.kind === 'stall') && plan.direction === direction) {
        const room = plan.afterBytes - sent[direction];
        if (part.length >= room) {
          part = part.subarray(0, Math.max(0, room));
          last = true;
        }
      }
      sent[direction] += part.length;
      if (part.length > 0 && !to.destroyed && !to.write(part)) {
        from.pause();
        to.once('drain', () => {
          if (!halted) from.resume();
        });
      }
      if (last) halt();
    };

    // Rewritten control replies must keep their order while a data listener is being opened.
    let toClientChain = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      if (rewrite === undefined) {
        pass('toClient', client, upstream, chunk);
        return;
      }
      toClientChain = toClientChain
        .then(() => rewrite(chunk))
        .then((out) => pass('toClient', client, upstream, out))
        .catch(() => {
          client.destroy();
        });
    });
    client.on('data', (chunk: Buffer) => {
      if (record !== undefined) {
        commandLine += chunk.toString('utf8');
        const lines = commandLine.split('\r\n');
        commandLine = lines.pop() ?? '';
        record.push(...lines);
        if (plan.kind === 'cutAtCommand' && lines.some((l) => plan.command.test(l))) {
          halt();
          return;
        }
      }
      pass('toServer', upstream, client, chunk);
    });
    client.on('end', () => {
      if (!halted) upstream.end();
    });
    upstream.on('end', () => {
      if (!halted) void toClientChain.then(() => client.end());
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (rewrite === undefined) client.destroy();
      else void toClientChain.then(() => client.destroy());
    });
  }

  servers.add(control);
  await listen(control);
  return {
    port: (control.address() as AddressInfo).port,
    counters,
    commands,
    endStalled: () => {
      for (const s of stalled) if (!s.destroyed) s.resetAndDestroy();
      stalled.clear();
    },
    close: async () => {
      const closing = [...servers].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const s of sockets) s.destroy();
      servers.clear();
      await Promise.all(closing);
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}
