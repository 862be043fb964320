import { connect, createServer, type AddressInfo } from 'node:net';

/**
 * A TCP port forward to one server port, as a firewall's port forwarding is: only that port. It says
 * when the server closed each connection, so that a test acts on that event instead of on a sleep.
 */
export interface PortForward {
  readonly host: string;
  readonly port: number;
  /** Connections the client opened through the forward. */
  readonly opened: number;
  /** Settles once the server has closed the connection opened `index`th (from 0). */
  serverClosed(index: number): Promise<void>;
  close(): Promise<void>;
}

/** Listens on `listenHost` (a loopback address: 127.0.0.2 is another host's address to a client). */
export async function portForward(target: { readonly host: string; readonly port: number }, listenHost = '127.0.0.1'): Promise<PortForward> {
  const closings: Array<{ readonly promise: Promise<void>; readonly resolve: () => void }> = [];
  const closing = (index: number): { readonly promise: Promise<void>; readonly resolve: () => void } => {
    for (let i = closings.length; i <= index; i++) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((settle) => (resolve = settle));
      closings.push({ promise, resolve });
    }
    const found = closings[index];
    if (found === undefined) throw new Error(`no connection ${index}`);
    return found;
  };
  let opened = 0;
  const server = createServer((client) => {
    const index = opened++;
    const upstream = connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => {
      closing(index).resolve();
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  return {
    host: listenHost,
    port: (server.address() as AddressInfo).port,
    get opened() {
      return opened;
    },
    serverClosed: (index) => closing(index).promise,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
