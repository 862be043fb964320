import { mkdtemp, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from '../../../src/security/SecretStore.js';

describe('encrypted file secret store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const opts = (extra: { passphrase?: string } = {}) => ({ file: join(dir, 'secrets.enc'), keyFile: join(dir, 'secret.key'), ...extra });

  it('round-trips secrets without ever writing them in plain text', async () => {
    const store = new EncryptedFileSecretStore(opts());
    await store.set('connection/a/password', 'hunter2-ünïcode');
    await store.set('connection/b/password', 'other');
    expect(await new EncryptedFileSecretStore(opts()).get('connection/a/password')).toBe('hunter2-ünïcode');
    const onDisk = await readFile(join(dir, 'secrets.enc'), 'utf8');
    expect(onDisk).not.toContain('hunter2');
    expect(onDisk).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect((await stat(join(dir, 'secrets.enc'))).mode & 0o077).toBe(0);
    expect((await stat(join(dir, 'secret.key'))).mode & 0o077).toBe(0);
    await store.delete('connection/a/password');
    expect(await store.get('connection/a/password')).toBeUndefined();
    expect(await store.get('connection/b/password')).toBe('other');
  });

  it('is useless without its key file', async () => {
    await new EncryptedFileSecretStore(opts()).set('k', 'v');
    await rm(join(dir, 'secret.key'));
    await expect(new EncryptedFileSecretStore(opts()).get('k')).rejects.toThrow(/Cannot decrypt/);
  });

  it('derives the key from a master password when one is given, and refuses a wrong one', async () => {
    await new EncryptedFileSecretStore(opts({ passphrase: 'correct horse' })).set('k', 'v');
    expect(await new EncryptedFileSecretStore(opts({ passphrase: 'correct horse' })).get('k')).toBe('v');
    await expect(new EncryptedFileSecretStore(opts({ passphrase: 'wrong' })).get('k')).rejects.toThrow(/wrong master password/);
    await expect(new EncryptedFileSecretStore(opts()).get('k')).rejects.toThrow(/FERRY_MASTER_PASSWORD/);
  });

  it('refuses an entry moved under another name', async () => {
    const store = new EncryptedFileSecretStore(opts());
    await store.set('connection/a/password', 'for a');
    const file = JSON.parse(await readFile(join(dir, 'secrets.enc'), 'utf8')) as { entries: Record<string, unknown> };
    file.entries['connection/evil/password'] = file.entries['connection/a/password'];
    await writeFile(join(dir, 'secrets.enc'), JSON.stringify(file));
    await expect(new EncryptedFileSecretStore(opts()).get('connection/evil/password')).rejects.toThrow(/altered/);
  });
});
