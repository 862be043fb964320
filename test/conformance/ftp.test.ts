import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { FtpFs } from '../../src/connectors/ftp/FtpFs.js';
import { caTrustFromPem, type TlsTrust } from '../../src/security/tlsTrust.js';
import type { FtpServerId } from '../helpers/servers/index.js';
import { describeRemoteFs } from './remoteFs.suite.js';
import { makeScratch } from './scratch.js';

const SERVERS: ReadonlyArray<[FtpServerId, string]> = [
  ['vsftpd-plain', 'vsftpd, plain FTP'],
  ['vsftpd-explicit', 'vsftpd, explicit FTPS with TLS session reuse required'],
  ['vsftpd-implicit', 'vsftpd, implicit FTPS'],
  ['pureftpd', 'pure-ftpd'],
];

for (const [id, label] of SERVERS) {
  describeRemoteFs(`ftp: ${label}`, async () => {
    const server = inject('servers').ftp[id];
    const scratch = await makeScratch(server.home, id);
    const trust: TlsTrust =
      server.caFile === undefined ? { kind: 'system' } : caTrustFromPem(await readFile(server.caFile, 'utf8'), server.caFile);
    const fs = new FtpFs({
      host: server.host,
      port: server.port,
      username: server.user,
      password: server.password,
      root: `/${scratch.name}`,
      security: server.secure,
      trust,
    });
    return {
      fs,
      localPath: scratch.path,
      owner: scratch.owner,
      canDenyPermission: true,
      close: async () => {
        await fs.close();
        await scratch.remove();
      },
    };
  }, { folders: true, resume: true, rename: true, resolvesLinks: false });
}
