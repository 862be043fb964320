import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { makeScratch } from '../conformance/scratch.js';
import { sha256OfFile } from '../helpers/data.js';
import {
  FAST_RETRY,
  MB,
  closeAfterEachTest,
  copyRequest,
  ftpVia,
  partialsUnder,
  retryLog,
  sftpVia,
  tempDir,
  writeRandomFile,
} from '../helpers/faultFixtures.js';
import {
  FORWARD,
  startFaultProxy,
  type ConnectionPlan,
  type Direction,
  type FaultCounters,
  type FaultProxy,
} from '../helpers/faultProxy.js';
import { FaultyFs } from '../helpers/FaultyFs.js';

const servers = inject('servers');
const SIZE = 24 * MB;
/** Far enough in for several megabytes to have landed, far enough from the end to be mid-transfer. */
const CUT_AT = 8 * MB;

/** Cuts the first connection that carries `CUT_AT` bytes `direction`, and no other. */
const cutOnce =
  (direction: Direction) =>
  (_index: number, counters: Readonly<FaultCounters>): ConnectionPlan =>
    counters.cuts === 0 ? { kind: 'cut', direction, afterBytes: CUT_AT } : FORWARD;

const closing = closeAfterEachTest();


describe('a connection cut mid-transfer: the engine resumes and the result is byte-identical', () => {
  let local: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    local = await tempDir('cut');
  });
  afterAll(async () => {
    await local.remove();
  });

  describe('SFTP (OpenSSH), the single SSH connection reset by a proxy', () => {
    const server = servers.sftp;
    let scratch: Awaited<ReturnType<typeof makeScratch>>;
    beforeAll(async () => {
      scratch = await makeScratch(server.home, 'cut-sftp');
    });
    afterAll(async () => {
      await scratch.remove();
    });

    it('download: resumes from the bytes already on disk after the server-to-client stream is reset', async () => {
      const expected = await writeRandomFile(join(scratch.path, 'down.bin'), SIZE, 'sftp-down');
      const proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.port, plan: cutOnce('toClient') });
      closing(proxy);
      const remote = sftpVia(server, proxy.port, scratch.path);
      closing(remote);
      const source = new FaultyFs(remote, {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'down.bin', new LocalFs(local.path), 'down.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(summary.files).toBe(1);
      expect(proxy.counters.cuts).toBe(1);
      expect(retries.seen.length).toBeGreaterThanOrEqual(1);
      expect(retries.seen.map((r) => r.kind)).toContain('network');
      expect(retries.seen.filter((r) => !r.retryable), JSON.stringify(retries.seen)).toEqual([]);
      expect(await sha256OfFile(join(local.path, 'down.bin'))).toBe(expected);
      expect(await partialsUnder(local.path)).toEqual([]);
      // The first read starts at 0; the retry asks only for what is missing, not the whole file again.
      expect(source.readOffsets[0]).toBe(0);
      const resumedAt = source.readOffsets.at(-1) ?? 0;
      expect(resumedAt).toBeGreaterThan(0);
      expect(resumedAt).toBeLessThan(SIZE);
    });

    it('upload: resumes appending to the partial file after the client-to-server stream is reset', async () => {
      const expected = await writeRandomFile(join(local.path, 'up.bin'), SIZE, 'sftp-up');
      const proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.port, plan: cutOnce('toServer') });
      closing(proxy);
      const remote = sftpVia(server, proxy.port, scratch.path);
      closing(remote);
      const source = new FaultyFs(new LocalFs(local.path), {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'up.bin', remote, 'up.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(retries.seen.map((r) => r.kind)).toContain('network');
      expect(retries.seen.filter((r) => !r.retryable), JSON.stringify(retries.seen)).toEqual([]);
      expect(await sha256OfFile(join(scratch.path, 'up.bin'))).toBe(expected);
      expect(await partialsUnder(scratch.path)).toEqual([]);
      expect(source.readOffsets[0]).toBe(0);
      const resumedAt = source.readOffsets.at(-1) ?? 0;
      expect(resumedAt).toBeGreaterThan(0);
      expect(resumedAt).toBeLessThan(SIZE);
    });
  });

  describe('FTP (vsftpd, plain), the data connection reset by a proxy that also relays passive data', () => {
    const server = servers.ftp['vsftpd-plain'];
    let scratch: Awaited<ReturnType<typeof makeScratch>>;
    let root: string;
    beforeAll(async () => {
      scratch = await makeScratch(server.home, 'cut-ftp');
      root = posix.join(server.loginDir, scratch.name);
    });
    afterAll(async () => {
      await scratch.remove();
    });

    const startProxy = async (direction: Direction): Promise<FaultProxy> => {
      const proxy = await startFaultProxy({
        targetHost: server.host, targetPort: server.port, plan: () => FORWARD, ftpDataPlan: cutOnce(direction),
      });
      closing(proxy);
      return proxy;
    };

    it('download: the retry sends REST with the bytes already on disk', async () => {
      const expected = await writeRandomFile(join(scratch.path, 'down.bin'), SIZE, 'ftp-down');
      const proxy = await startProxy('toClient');
      const remote = ftpVia(server, proxy.port, root);
      closing(remote);
      const source = new FaultyFs(remote, {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'down.bin', new LocalFs(local.path), 'ftp-down.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(retries.seen.length).toBeGreaterThanOrEqual(1);
      expect(retries.seen.filter((r) => !r.retryable), JSON.stringify(retries.seen)).toEqual([]);
      expect(await sha256OfFile(join(local.path, 'ftp-down.bin'))).toBe(expected);
      expect(await partialsUnder(local.path)).toEqual([]);
      const resumedAt = source.readOffsets.at(-1) ?? 0;
      expect(source.readOffsets[0]).toBe(0);
      expect(resumedAt).toBeGreaterThan(0);
      expect(resumedAt).toBeLessThan(SIZE);
      // What went over the wire, not only what the engine asked for.
      expect(proxy.commands).toContain(`REST ${resumedAt}`);
    });

    it('upload: the retry appends (APPE) to the partial file instead of storing it again', async () => {
      const expected = await writeRandomFile(join(local.path, 'ftp-up.bin'), SIZE, 'ftp-up');
      const proxy = await startProxy('toServer');
      const remote = ftpVia(server, proxy.port, root);
      closing(remote);
      const source = new FaultyFs(new LocalFs(local.path), {});
      const retries = retryLog();

      const summary = await transfer({ ...copyRequest(source, 'ftp-up.bin', remote, 'up.bin'), onRetry: retries.onRetry });

      expect(summary.failed).toEqual([]);
      expect(proxy.counters.cuts).toBe(1);
      expect(retries.seen.length).toBeGreaterThanOrEqual(1);
      expect(retries.seen.filter((r) => !r.retryable), JSON.stringify(retries.seen)).toEqual([]);
      expect(await sha256OfFile(join(scratch.path, 'up.bin'))).toBe(expected);
      expect(await partialsUnder(scratch.path)).toEqual([]);
      const resumedAt = source.readOffsets.at(-1) ?? 0;
      expect(resumedAt).toBeGreaterThan(0);
      expect(resumedAt).toBeLessThan(SIZE);
      const partial = posix.join(root, 'up.bin.ferrypart');
      expect(proxy.commands).toContain(`STOR ${partial}`);
      expect(proxy.commands).toContain(`APPE ${partial}`);
    });
  });
  describe('every attempt of a run cut: the partial file stays, and the next run resumes from it', () => {
    const cases = [
      ['SFTP (OpenSSH)', 'sftp'],
      ['FTP (vsftpd, plain)', 'ftp'],
    ] as const;
    it.each(cases)('%s upload', async (_label, protocol) => {
      const info = protocol === 'sftp' ? servers.sftp : servers.ftp['vsftpd-plain'];
      const scratch = await makeScratch(info.home, `rerun-${protocol}`);
      try {
        const expected = await writeRandomFile(join(local.path, `rerun-${protocol}.bin`), SIZE, `rerun-${protocol}`);
        let linkBroken = true;
        const cutEach: ConnectionPlan = { kind: 'cut', direction: 'toServer', afterBytes: 4 * MB };
        const proxy = await startFaultProxy({
          targetHost: info.host,
          targetPort: info.port,
          ...(protocol === 'sftp'
            ? { plan: () => (linkBroken ? cutEach : FORWARD) }
            : { plan: () => FORWARD, ftpDataPlan: () => (linkBroken ? cutEach : FORWARD) }),
        });
        closing(proxy);
        const remote =
          protocol === 'sftp'
            ? sftpVia(servers.sftp, proxy.port, scratch.path)
            : ftpVia(servers.ftp['vsftpd-plain'], proxy.port, posix.join(servers.ftp['vsftpd-plain'].loginDir, scratch.name));
        closing(remote);
        // The journal outlives the run, as the one in Ferry's state folder does.
        const journal = new MemoryResumeJournal();
        const request = {
          ...copyRequest(new LocalFs(local.path), `rerun-${protocol}.bin`, remote, 'up.bin'), journal,
          retry: { ...FAST_RETRY, attempts: 2 },
        };

        const first = await transfer(request);

        expect(first.failed.map((f) => f.kind)).toEqual(['network']);
        expect(proxy.counters.cuts).toBe(2);
        expect(existsSync(join(scratch.path, 'up.bin'))).toBe(false);
        const kept = (await stat(join(scratch.path, 'up.bin.ferrypart'))).size;
        expect(kept).toBeGreaterThan(0);
        expect(kept).toBeLessThan(SIZE);

        linkBroken = false;
        const second = await transfer(request);

        expect(second.failed).toEqual([]);
        // At least what was there when the first run gave up: a server may still be writing out what it
        // had received when the link dropped (vsftpd does, for a moment).
        expect(second.items[0]?.resumedFrom).toBeGreaterThanOrEqual(kept);
        expect(second.items[0]?.resumedFrom).toBeLessThan(SIZE);
        expect(await sha256OfFile(join(scratch.path, 'up.bin'))).toBe(expected);
        expect(await partialsUnder(scratch.path)).toEqual([]);
      } finally {
        await scratch.remove();
      }
    });
  });

  describe('FTP (vsftpd, plain): the link drops at the publishing rename', () => {
    const server = servers.ftp['vsftpd-plain'];

    // A link that drops while publishing must not fail a file that was completely sent and verified.
    it('upload: the rename is retried on a new connection and the file is published', async () => {
      const scratch = await makeScratch(server.home, 'cut-rename');
      try {
        const expected = await writeRandomFile(join(local.path, 'publish.bin'), 4 * MB, 'publish');
        const proxy = await startFaultProxy({
          targetHost: server.host,
          targetPort: server.port,
          plan: (i) => (i === 0 ? { kind: 'cutAtCommand', command: /^RNFR / } : FORWARD),
          ftpDataPlan: () => FORWARD,
        });
        closing(proxy);
        const remote = ftpVia(server, proxy.port, posix.join(server.loginDir, scratch.name));
        closing(remote);
        const retries = retryLog();

        const summary = await transfer({ ...copyRequest(new LocalFs(local.path), 'publish.bin', remote, 'publish.bin'), onRetry: retries.onRetry });

        expect(proxy.counters.cuts).toBe(1);
        expect(summary.failed).toEqual([]);
        expect(retries.seen.map((r) => r.kind)).toContain('network');
        expect(await sha256OfFile(join(scratch.path, 'publish.bin'))).toBe(expected);
        expect(await partialsUnder(scratch.path)).toEqual([]);
      } finally {
        await scratch.remove();
      }
    });
  });
});
