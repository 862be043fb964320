import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { runFerry } from '../helpers/runFerry.js';

const plain = inject('servers').ftp['vsftpd-plain'];

describe('ferry connection test', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-conn-test-'));
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  it('says in plain words why a connection failed, before the server’s own words', async () => {
    const url = `ftp://${plain.user}@${plain.host}:${plain.port}/`;
    expect((await runFerry(home, ['connection', 'add', 'partner', url, '--password-stdin', '--no-test'], 'not-the-password\n')).code).toBe(0);
    const run = await runFerry(home, ['connection', 'test', 'partner']);
    expect(run.code).not.toBe(0);
    const lines = run.err.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['The server refused the user name or password.', 'Check both with the partner; a password may have expired or been changed.']);
    expect(run.err).toMatch(/530/);
  });
});
