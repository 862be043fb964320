import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { makeScratch } from '../conformance/scratch.js';
import { sha256OfFile } from '../helpers/data.js';
import { FAST_RETRY, MB, closeAfterEachTest, copyRequest, ftpVia, partialsUnder, retryLog, sftpVia, tempDir, writeRandomFile } from '../helpers/faultFixtures.js';
import { FORWARD, startFaultProxy, type ConnectionPlan, type FaultProxy, type FaultProxyOptions } from '../helpers/faultProxy.js';
import { FaultyFs } from '../helpers/FaultyFs.js';

const servers = inject('servers');
const SIZE = 16 * MB;
/** Small, so that a stall is noticed quickly; loopback answers every healthy request far sooner. */
const TIMEOUT_MS = 1_500;
const SILENT: ConnectionPlan = { kind: 'silent' };

const closing = closeAfterEachTest();


async function proxyFor(
  host: string,
  port: number,
  plan: FaultProxyOptions['plan'],
  ftpDataPlan?: FaultProxyOptions['ftpDataPlan'],
): Promise<FaultProxy> {
  const proxy = await startFaultProxy({
    targetHost: host, targetPort: port, plan, ...(ftpDataPlan === undefined ? {} : { ftpDataPlan }),
  });
  closing(proxy);
  return proxy;
}

describe('a stalled server times out, and the engine retries and finishes byte-identical', () => {
  let local: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    local = await tempDir('stall');
  });
  afterAll(async () => {
    await local.remove();
  });

  describe('SFTP (OpenSSH)', () => {
    const server = servers.sftp;
    let scratch: Awaited<ReturnType<typeof makeScratch>>;
    beforeAll(async () => {
      scratch = await makeScratch(server.home, 'stall-sftp');
    });
    afterAll(async () => {
      await scratch.remove();
    });

    it('download: the server stops answering mid-file; timeout, then a resumed read on a new connection', async () => {
      const expected = await writeRandomFile(join(scratch.path, 'down.bin'), SIZE, 'stall-sftp-down');
      const proxy = await proxyFor(server.host, server.port, (i) =>
        i === 0 ? { kind: 'stall', direction: 'toClient', afterBytes: 6 * MB } : FORWARD,
      );
      const remote = sftpVia(server, proxy.port, scratch.path, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const source = new FaultyFs(remote, {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'down.bin', new LocalFs(local.path), 'down.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.stalls).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toContain('timeout');
      expect(retries.seen.filter((r) => !r.retryable), JSON.stringify(retries.seen)).toEqual([]);
      expect(await sha256OfFile(join(local.path, 'down.bin'))).toBe(expected);
      expect(await partialsUnder(local.path)).toEqual([]);
      expect(source.readOffsets.at(-1)).toBeGreaterThan(0);
    });

    it('upload: after a dropped link the reconnect meets a server that never greets; timeout, then resumed', async () => {
      const expected = await writeRandomFile(join(local.path, 'up.bin'), SIZE, 'stall-sftp-up');
      const proxy = await proxyFor(server.host, server.port, (i) =>
        i === 0 ? { kind: 'cut', direction: 'toServer', afterBytes: 6 * MB } : i === 1 ? SILENT : FORWARD,
      );
      const remote = sftpVia(server, proxy.port, scratch.path, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const source = new FaultyFs(new LocalFs(local.path), {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'up.bin', remote, 'up.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(proxy.counters.silent).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toEqual(expect.arrayContaining(['network', 'timeout']));
      expect(await sha256OfFile(join(scratch.path, 'up.bin'))).toBe(expected);
      expect(await partialsUnder(scratch.path)).toEqual([]);
      expect(source.readOffsets.at(-1)).toBeGreaterThan(0);
    });
    // A server that hangs on the very first connection must not fail a run the next connection serves.
    it('download: the very first connection never greets; timeout, then the run goes on', async () => {
      const expected = await writeRandomFile(join(scratch.path, 'first.bin'), MB, 'stall-sftp-first');
      const proxy = await proxyFor(server.host, server.port, (i) => (i === 0 ? SILENT : FORWARD));
      const remote = sftpVia(server, proxy.port, scratch.path, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(remote, 'first.bin', new LocalFs(local.path), 'first.bin'), onRetry: retries.onRetry });

      expect(proxy.counters.silent).toBe(1);
      expect(summary.failed).toEqual([]);
      expect(retries.seen.map((r) => r.kind)).toContain('timeout');
      expect(await sha256OfFile(join(local.path, 'first.bin'))).toBe(expected);
    });

    it('upload: the server stops reading mid-file; timeout, then appending on a new connection', async () => {
      const expected = await writeRandomFile(join(local.path, 'up-stall.bin'), SIZE, 'stall-sftp-up-stall');
      const proxy = await proxyFor(server.host, server.port, (i) =>
        i === 0 ? { kind: 'stall', direction: 'toServer', afterBytes: 6 * MB } : FORWARD,
      );
      const remote = sftpVia(server, proxy.port, scratch.path, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const source = new FaultyFs(new LocalFs(local.path), {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'up-stall.bin', remote, 'up-stall.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.stalls).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toContain('timeout');
      expect(await sha256OfFile(join(scratch.path, 'up-stall.bin'))).toBe(expected);
      expect(await partialsUnder(scratch.path)).toEqual([]);
      expect(source.readOffsets.at(-1)).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('FTP (vsftpd, plain)', () => {
    const server = servers.ftp['vsftpd-plain'];
    let scratch: Awaited<ReturnType<typeof makeScratch>>;
    let root: string;
    beforeAll(async () => {
      scratch = await makeScratch(server.home, 'stall-ftp');
      root = posix.join(server.loginDir, scratch.name);
    });
    afterAll(async () => {
      await scratch.remove();
    });

    it('download: the data connection goes quiet mid-file; timeout, then REST from the bytes on disk', async () => {
      const expected = await writeRandomFile(join(scratch.path, 'down.bin'), SIZE, 'stall-ftp-down');
      const proxy = await proxyFor(
        server.host,
        server.port,
        () => FORWARD,
        (_i, c) => (c.stalls === 0 ? { kind: 'stall', direction: 'toClient', afterBytes: 6 * MB } : FORWARD),
      );
      const remote = ftpVia(server, proxy.port, root, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const source = new FaultyFs(remote, {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'down.bin', new LocalFs(local.path), 'ftp-down.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.stalls).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toContain('timeout');
      expect(retries.seen.filter((r) => !r.retryable), JSON.stringify(retries.seen)).toEqual([]);
      expect(await sha256OfFile(join(local.path, 'ftp-down.bin'))).toBe(expected);
      expect(await partialsUnder(local.path)).toEqual([]);
      const resumedAt = source.readOffsets.at(-1) ?? 0;
      expect(resumedAt).toBeGreaterThan(0);
      expect(proxy.commands).toContain(`REST ${resumedAt}`);
    });

    it('upload: after a dropped link the reconnect meets a server that never greets; timeout, then APPE', async () => {
      const expected = await writeRandomFile(join(local.path, 'ftp-up.bin'), SIZE, 'stall-ftp-up');
      const proxy = await proxyFor(
        server.host,
        server.port,
        (i) => (i === 1 ? SILENT : FORWARD),
        (_i, c) => (c.cuts === 0 ? { kind: 'cut', direction: 'toServer', afterBytes: 6 * MB, withControl: true } : FORWARD),
      );
      const remote = ftpVia(server, proxy.port, root, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const source = new FaultyFs(new LocalFs(local.path), {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'ftp-up.bin', remote, 'up.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(proxy.counters.silent).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toEqual(expect.arrayContaining(['network', 'timeout']));
      expect(await sha256OfFile(join(scratch.path, 'up.bin'))).toBe(expected);
      expect(await partialsUnder(scratch.path)).toEqual([]);
      expect(source.readOffsets.at(-1)).toBeGreaterThan(0);
      expect(proxy.commands).toContain(`APPE ${posix.join(root, 'up.bin.ferrypart')}`);
    });

    // vsftpd locks a file while it receives it (lock_upload_files) and a session stuck on a silent data
    // connection keeps that lock until the server's own timeout, so no later attempt of the same run can
    // append. What is promised then: every attempt ends by timeout (no hang), the bytes that arrived stay
    // as the partial file, and the next run resumes from them once the server let go.
    it('upload: the data connection stops being read mid-file; attempts time out, and the next run resumes', async () => {
      const expected = await writeRandomFile(join(local.path, 'ftp-up-stall.bin'), SIZE, 'stall-ftp-up-stall');
      const stalling = await proxyFor(
        server.host,
        server.port,
        () => FORWARD,
        (_i, c) => (c.stalls === 0 ? { kind: 'stall', direction: 'toServer', afterBytes: 6 * MB } : FORWARD),
      );
      const remote = ftpVia(server, stalling.port, root, { timeoutMs: TIMEOUT_MS });
      closing(remote);
      const journal = new MemoryResumeJournal();
      const retries = retryLog();
      const request = { ...copyRequest(new LocalFs(local.path), 'ftp-up-stall.bin', remote, 'up-stall.bin'), journal };

      const stalled = await transfer({ ...request, retry: { ...FAST_RETRY, attempts: 2 }, onRetry: retries.onRetry });

      expect(stalling.counters.stalls).toBe(1);
      expect(stalled.failed.map((f) => f.kind)).toEqual(['timeout']);
      expect(retries.seen.map((r) => r.kind)).toEqual(['timeout']);
      expect(existsSync(join(scratch.path, 'up-stall.bin'))).toBe(false);

      // The stuck session ends with its connections, as it would at the server's own timeout.
      stalling.endStalled();
      const kept = (await stat(join(scratch.path, 'up-stall.bin.ferrypart'))).size;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(SIZE);

      const resumed = await transfer(request);

      expect(resumed.failed).toEqual([]);
      expect(resumed.items[0]?.resumedFrom).toBe(kept);
      expect(stalling.commands.filter((c) => c.startsWith('APPE ')).length).toBeGreaterThanOrEqual(2);
      expect(await sha256OfFile(join(scratch.path, 'up-stall.bin'))).toBe(expected);
      expect(await partialsUnder(scratch.path)).toEqual([]);
    }, 60_000);
  });
});
