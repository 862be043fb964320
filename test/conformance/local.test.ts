import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
