import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import { KnownHosts, type UnknownHostKey } from '../../src/security/KnownHosts.js';
import { portForward } from '../helpers/portForward.js';

const server = inject('servers').sftp;

describe('an SSH host key accepted for this once', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ferry-key-once-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('is asked about once for all the connections the connector opens, and recorded nowhere', async () => {
    const knownHosts = join(scratch, 'known_hosts');
    const questions: UnknownHostKey[] = [];
    // Through a forward that counts the connections made.
    const forward = await portForward(server);
    const fs = new SftpFs({
      host: forward.host,
      port: forward.port,
      username: server.user,
      password: server.password,
      root: server.home,
      // One request per connection: listings run together open a connection each.
      maxConnections: 3,
      requestsPerConnection: 1,
      hostKeys: new KnownHosts({
        path: knownHosts,
        policy: 'strict',
        confirmUnknown: (question) => {
          questions.push(question);
          return Promise.resolve('once');
        },
      }),
    });
    try {
      const listings = await Promise.all([fs.list(''), fs.list(''), fs.list('')]);
      expect(listings.map((entries) => entries.some((e) => e.name === 'readonly'))).toEqual([true, true, true]);
      expect(forward.opened).toBe(3);
      expect(questions.map((q) => q.fingerprint)).toEqual([server.hostKeyFingerprint]);
      expect(await readFile(knownHosts, 'utf8').catch(() => '')).toBe('');
    } finally {
      await fs.close();
      await forward.close();
    }
  });
});
