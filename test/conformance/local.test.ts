import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { describeRemoteFs } from './remoteFs.suite.js';

describeRemoteFs('local', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-conf-'));
  return {
    fs: new LocalFs(dir),
    localPath: dir,
    canDenyPermission: process.getuid?.() !== 0,
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('local folder errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-local-errors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const failure = async (op: () => Promise<unknown>): Promise<TransferError> => {
    const error = await op().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransferError);
    return error as TransferError;
  };
  const longName = `${'n'.repeat(296)}.csv`;
  const shownLong = `${'n'.repeat(40)}…${'n'.repeat(15)}.csv`;

  it('refuses a name over 255 bytes naming the target and the limit', async () => {
    const fs = new LocalFs(dir);
    const error = await failure(() => fs.write(longName, Readable.from([Buffer.from('x')])));
    expect(error.kind).toBe('unsafeName');
    expect(error.message).toBe(`Name too long: ${dir}/${shownLong} has a name of 300 bytes; a name may have at most 255 bytes`);
  });

  it('says when a path is too long as a whole although each of its names fits', async () => {
    const deep = `${Array.from({ length: 20 }, () => 'd'.repeat(250)).join('/')}/f.csv`;
    const abs = `${dir}/${deep}`;
    const error = await failure(() => new LocalFs(dir).write(deep, Readable.from([Buffer.from('x')])));
    expect(error.kind).toBe('unsafeName');
    expect(error.message).toBe(`Path too long: ${abs.slice(0, 80)}…${abs.slice(-39)} is ${abs.length} bytes, more than the file system allows`);
  });

  it('names the destination a rename could not create, not the file renamed', async () => {
    const fs = new LocalFs(dir);
    await writeFile(join(dir, 'report.csv.ferrypart'), 'x');
    const error = await failure(() => fs.rename('report.csv.ferrypart', longName));
    expect(error.kind).toBe('unsafeName');
    expect(error.message).toBe(`Name too long: ${dir}/${shownLong} has a name of 300 bytes; a name may have at most 255 bytes`);
  });

  it('shows the absolute path of what failed, also when the folder is the root of the disk', async () => {
    const missing = await failure(() => new LocalFs(dir).read('missing.csv'));
    expect(missing.message).toBe(`Not found (${dir}/missing.csv)`);
    const fromRoot = await failure(() => new LocalFs('/').read(`${dir.slice(1)}/missing.csv`));
    expect(fromRoot.message).toBe(`Not found (${dir}/missing.csv)`);
  });

  it.runIf(existsSync('/dev/full'))('says which file a full disk refused, with its leading slash', async () => {
    const error = await failure(() => new LocalFs('/').write('dev/full', Readable.from([Buffer.alloc(64 * 1024)])));
    expect(error.kind).toBe('quota');
    expect(error.message).toBe('No space left (/dev/full)');
  });
});
