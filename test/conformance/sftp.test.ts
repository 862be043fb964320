import { writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import { KnownHosts } from '../../src/security/KnownHosts.js';
import { describeRemoteFs } from './remoteFs.suite.js';
import { makeScratch } from './scratch.js';

describeRemoteFs('sftp (OpenSSH internal-sftp)', async () => {
  const server = inject('servers').sftp;
  const scratch = await makeScratch(server.home, 'sftp');
  const knownHosts = join(tmpdir(), `ferry-kh-${randomUUID()}`);
  await writeFile(knownHosts, `[${server.host}]:${server.port} ${server.hostKeyLine}\n`);
  const fs = new SftpFs({
    host: server.host,
    port: server.port,
    username: server.user,
    password: server.password,
    root: scratch.path,
    hostKeys: new KnownHosts({ path: knownHosts, policy: 'strict' }),
  });
  return {
    fs,
    localPath: scratch.path,
    owner: scratch.owner,
    canDenyPermission: true,
    close: async () => {
      await fs.close();
      await scratch.remove();
      await rm(knownHosts, { force: true });
    },
  };
});
