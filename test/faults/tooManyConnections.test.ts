import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { TOO_MANY_CONNECTIONS_BACKOFF_MS } from '../../src/connectors/ftp/mapFtpError.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { transfer } from '../../src/engine/transfer.js';
import { makeScratch } from '../conformance/scratch.js';
import { sha256OfFile } from '../helpers/data.js';
import { MB, copyRequest, ftpVia, partialsUnder, retryLog, tempDir, writeRandomFile } from '../helpers/faultFixtures.js';
import { FORWARD, startFaultProxy, type ConnectionPlan, type Direction, type FaultProxy } from '../helpers/faultProxy.js';
import { FaultyFs } from '../helpers/FaultyFs.js';

const server = inject('servers').ftp['vsftpd-plain'];
/** What vsftpd itself says when max_per_ip is reached. */
const BUSY: ConnectionPlan = { kind: 'refuse', text: '421 There are too many connections from your internet address.\r\n' };
const FILES = ['a.bin', 'b.bin', 'c.bin'];


/**
 * A dropped link leaves the server counting the dead session for a while, so the reconnect meets "421 Too
 * many connections": the one refusal that reaches the engine, since the connector's pool is empty then.
 * The proxy drops data and control connection together once, refuses the next control connection, and
 * forwards from then on.
 */
async function dropThenBusy(direction: Direction): Promise<FaultProxy> {
  return startFaultProxy({
    targetHost: server.host,
    targetPort: server.port,
    plan: (i) => (i === 1 ? BUSY : FORWARD),
    ftpDataPlan: (_i, counters) =>
      counters.cuts === 0 ? { kind: 'cut', direction, afterBytes: 3 * MB, withControl: true } : FORWARD,
  });
}

/**
 * Each of these waits out the connector's "too many connections" backoff at least once, so they run side
 * by side; each has its own proxy and folders.
 */
describe.concurrent('421 "too many connections" from an FTP server (vsftpd behind a refusing proxy)', () => {
  it('download: the reconnect after a dropped link is refused, the engine backs off as rateLimited and resumes', async () => {
    const scratch = await makeScratch(server.home, 'busy-down');
    const local = await tempDir('busy-down');
    const proxy = await dropThenBusy('toClient');
    const remote = ftpVia(server, proxy.port, posix.join(server.loginDir, scratch.name));
    try {
      const hash = await writeRandomFile(join(scratch.path, 'big.bin'), 12 * MB, 'busy-down');
      const source = new FaultyFs(remote, {});
      const retries = retryLog();

      const summary = await transfer({
        ...copyRequest(source, 'big.bin', new LocalFs(local.path), 'big.bin'), onRetry: retries.onRetry,
      });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(proxy.counters.refused).toBe(1);
      const kinds = retries.seen.map((r) => r.kind);
      expect(kinds).toContain('rateLimited');
      // Waits honour the connector's minimum for a busy server, not the request's 200 ms ceiling.
      for (const r of retries.seen) expect(r.delayMs).toBeGreaterThan(0);
      for (const r of retries.seen.filter((s) => s.kind === 'rateLimited')) {
        expect(r.delayMs).toBeGreaterThanOrEqual(TOO_MANY_CONNECTIONS_BACKOFF_MS);
      }
      expect(await sha256OfFile(join(local.path, 'big.bin'))).toBe(hash);
      expect(await partialsUnder(local.path)).toEqual([]);
      expect(source.readOffsets.at(-1)).toBeGreaterThan(0);
    } finally {
      await remote.close();
      await proxy.close();
      await local.remove();
      await scratch.remove();
    }
  });

  it('upload: the reconnect after a dropped link is refused, the engine backs off as rateLimited and resumes', async () => {
    const scratch = await makeScratch(server.home, 'busy-up');
    const local = await tempDir('busy-up');
    const proxy = await dropThenBusy('toServer');
    const remote = ftpVia(server, proxy.port, posix.join(server.loginDir, scratch.name));
    try {
      const hash = await writeRandomFile(join(local.path, 'big.bin'), 12 * MB, 'busy-up');
      const source = new FaultyFs(new LocalFs(local.path), {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'big.bin', remote, 'big.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(proxy.counters.refused).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toContain('rateLimited');
      for (const r of retries.seen) expect(r.delayMs).toBeGreaterThan(0);
      for (const r of retries.seen.filter((s) => s.kind === 'rateLimited')) {
        expect(r.delayMs).toBeGreaterThanOrEqual(TOO_MANY_CONNECTIONS_BACKOFF_MS);
      }
      expect(await sha256OfFile(join(scratch.path, 'big.bin'))).toBe(hash);
      expect(await partialsUnder(scratch.path)).toEqual([]);
      expect(source.readOffsets.at(-1)).toBeGreaterThan(0);
    } finally {
      await remote.close();
      await proxy.close();
      await local.remove();
      await scratch.remove();
    }
  });

  it('extra connections refused while the first is busy: the run keeps to the connections it has', async () => {
    const scratch = await makeScratch(server.home, 'busy-extra');
    const local = await tempDir('busy-extra');
    // The first connection lists the folder; the next ones, opened for files in parallel, meet a full server.
    const proxy = await startFaultProxy({
      targetHost: server.host, targetPort: server.port, plan: (i) => (i >= 1 && i <= FILES.length - 1 ? BUSY : FORWARD),
    });
    const remote = ftpVia(server, proxy.port, posix.join(server.loginDir, scratch.name), { maxConnections: FILES.length });
    try {
      await mkdir(join(local.path, 'src'));
      const expected = new Map<string, string>();
      for (const name of FILES) {
        expected.set(name, await writeRandomFile(join(scratch.path, name), 2 * MB, name));
        await writeRandomFile(join(local.path, 'src', name), 2 * MB, `up-${name}`);
      }
      const retries = retryLog();

      const down = await transfer({
        ...copyRequest(remote, '', new LocalFs(local.path), 'down'), recursive: true, concurrency: FILES.length,
        onRetry: retries.onRetry,
      });
      const up = await transfer({
        ...copyRequest(new LocalFs(join(local.path, 'src')), '', remote, 'up'), recursive: true, concurrency: FILES.length,
        onRetry: retries.onRetry,
      });

      expect(proxy.counters.refused).toBeGreaterThanOrEqual(1);
      expect(down.failed).toEqual([]);
      expect(up.failed).toEqual([]);
      expect(down.files + up.files).toBe(2 * FILES.length);
      for (const r of retries.seen.filter((s) => s.kind === 'rateLimited')) {
        expect(r.delayMs).toBeGreaterThanOrEqual(TOO_MANY_CONNECTIONS_BACKOFF_MS);
      }
      for (const [name, hash] of expected) {
        expect(await sha256OfFile(join(local.path, 'down', name))).toBe(hash);
        expect(await sha256OfFile(join(scratch.path, 'up', name))).toBe(await sha256OfFile(join(local.path, 'src', name)));
      }
      expect(await partialsUnder(local.path)).toEqual([]);
      expect(await partialsUnder(scratch.path)).toEqual([]);
    } finally {
      await remote.close();
      await proxy.close();
      await local.remove();
      await scratch.remove();
    }
  });

  // A refusal during preparation (source stat, walk, target listing, mkdir) is retried like a transfer.
  it('the very first connection of a run refused: the run waits and goes on instead of failing', async () => {
    const scratch = await makeScratch(server.home, 'busy-first');
    const local = await tempDir('busy-first');
    const proxy = await startFaultProxy({
      targetHost: server.host, targetPort: server.port, plan: (i) => (i === 0 ? BUSY : FORWARD),
    });
    const remote = ftpVia(server, proxy.port, posix.join(server.loginDir, scratch.name));
    try {
      const hash = await writeRandomFile(join(scratch.path, 'one.bin'), MB, 'first');
      const retries = retryLog();

      const summary = await transfer({
        ...copyRequest(remote, 'one.bin', new LocalFs(local.path), 'one.bin'), onRetry: retries.onRetry,
      });

      expect(proxy.counters.refused).toBe(1);
      expect(summary.failed).toEqual([]);
      expect(retries.seen.map((r) => r.kind)).toContain('rateLimited');
      expect(await sha256OfFile(join(local.path, 'one.bin'))).toBe(hash);
    } finally {
      await remote.close();
      await proxy.close();
      await local.remove();
      await scratch.remove();
    }
  });
});
