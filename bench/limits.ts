import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { measure } from './measure.js';

export interface Limits {
  /** `cat big > /dev/null` with the file already in the page cache, in MB/s (10^6 bytes). */
  readonly pageCacheMBps: number;
  /** iperf3 on 127.0.0.1, one stream; undefined when iperf3 is not installed. */
  readonly iperf3MBps?: number;
  /** A Node process writing into a socket another Node process reads and discards. */
  readonly nodePipeMBps: number;
}

const IPERF3 = '/usr/bin/iperf3';
const LOOPBACK = '127.0.0.1';

export async function pageCacheRead(path: string, bytes: number): Promise<number> {
  const cat = { command: '/bin/sh', args: ['-c', 'cat "$1" > /dev/null', 'sh', path], timeoutMs: 120_000 };
  // The first read warms the cache; the second is the measurement.
  await measure(cat);
  const r = await measure(cat);
  if (r.exitCode !== 0) throw new Error(`cat ${path} failed: ${r.stderr}`);
  return bytes / 1e6 / r.seconds;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function installed(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function iperf3(seconds = 5): Promise<number | undefined> {
  if (!installed(IPERF3)) return undefined;
  const port = await freePort();
  // One-off server: it exits after one test, and is killed below if the client never arrives.
  const server = spawn(IPERF3, ['-s', '-1', '-B', LOOPBACK, '-p', String(port)], { stdio: 'ignore', detached: true });
  try {
    let result: Awaited<ReturnType<typeof measure>> | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      await delay(100);
      result = await measure({
        command: IPERF3,
        args: ['-c', LOOPBACK, '-p', String(port), '-t', String(seconds), '-J'],
        timeoutMs: (seconds + 20) * 1000,
      });
      if (result.exitCode === 0) break;
    }
    if (result?.exitCode !== 0) return undefined;
    const parsed = JSON.parse(result.stdout) as { end?: { sum_received?: { bits_per_second?: number } } };
    const bps = parsed.end?.sum_received?.bits_per_second;
    return bps === undefined ? undefined : bps / 8 / 1e6;
  } finally {
    if (server.pid !== undefined && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // It exited on its own after the test.
      }
    }
  }
}

const SINK = `
const net = require('node:net');
const server = net.createServer((s) => {
  let n = 0;
  s.on('data', (b) => { n += b.length; });
  s.on('end', () => { process.stdout.write(String(n) + '\\n'); s.end(); server.close(); });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/** What one Node process can push through loopback TCP into another: the ceiling for any Node tool here. */
export async function nodeSocketPipe(bytes = 4 * 1024 ** 3): Promise<number> {
  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines: string[] = [];
    let partial = '';
    const nextLine = async (): Promise<string> => {
      for (let i = 0; i < 600 && lines.length === 0; i++) await delay(50);
      const line = lines.shift();
      if (line === undefined) throw new Error('the socket sink did not answer');
      return line;
    };
    sink.stdout.on('data', (b: Buffer) => {
      partial += b.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    const port = Number(await nextLine());
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const started = performance.now();
    const socket = connect(port, LOOPBACK);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes) {
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end();
        resolve();
      };
      socket.once('connect', pump);
    });
    const received = Number(await nextLine());
    const seconds = (performance.now() - started) / 1000;
    socket.destroy();
    if (received !== bytes) throw new Error(`the socket sink received ${received} of ${bytes} bytes`);
    return bytes / 1e6 / seconds;
  } finally {
    if (sink.exitCode === null) sink.kill('SIGKILL');
  }
}

export async function measureLimits(bigPath: string, bigBytes: number): Promise<Limits> {
  const pageCacheMBps = await pageCacheRead(bigPath, bigBytes);
  const iperf = await iperf3();
  const nodePipeMBps = await nodeSocketPipe();
  return { pageCacheMBps, nodePipeMBps, ...(iperf === undefined ? {} : { iperf3MBps: iperf }) };
}
