import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopSecrets } from '../../main/secrets/desktopSecrets.js';
import { SafeStorageSecretStore } from '../../main/secrets/SafeStorageSecretStore.js';
import { EncryptedFileSecretStore } from '../../src/security/SecretStore.js';
import { FakeSafeStorage } from './electronFakes.js';

const PASSWORD = 'Tr0ub4dor&3-partner-sftp';

let dir: string;
let file: string;
let asked: number;

function store(safeStorage: FakeSafeStorage, { consent = false, platform = 'linux' }: { consent?: boolean; platform?: NodeJS.Platform } = {}): SafeStorageSecretStore {
  return new SafeStorageSecretStore({
    file,
    safeStorage,
    platform,
    allowWithoutKeyring: async () => {
      asked++;
      return consent;
    },
  });
}

/** Every byte Ferry left in the folder, so that a secret written anywhere in it is found. */
async function everythingOnDisk(): Promise<string> {
  const names = await readdir(dir);
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'latin1')))).join('\n');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-secrets-'));
  file = join(dir, 'desktop-secrets.json');
  asked = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the keychain secret store', () => {
  it('keeps only what safeStorage sealed, readable by the owner alone, and reads it back', async () => {
    const secrets = store(new FakeSafeStorage('gnome_libsecret'));
    await secrets.set('connection/partner-sftp/password', PASSWORD);
    expect(await secrets.get('connection/partner-sftp/password')).toBe(PASSWORD);
    expect(await secrets.get('connection/other/password')).toBeUndefined();
    const disk = await everythingOnDisk();
    expect(disk).not.toContain(PASSWORD);
    expect(disk).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(disk).not.toContain(Buffer.from(PASSWORD).toString('hex'));
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1, backend: 'gnome_libsecret', withoutKeyring: false });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(asked).toBe(0);

    await secrets.delete('connection/partner-sftp/password');
    expect(await secrets.get('connection/partner-sftp/password')).toBeUndefined();
  });

  it('stores nothing when no encryption is available', async () => {
    const safeStorage = new FakeSafeStorage('gnome_libsecret');
    safeStorage.available = false;
    await expect(store(safeStorage).set('named/smtp', PASSWORD)).rejects.toThrow(/no way to encrypt secrets.*not saved/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses basic_text without consent, asking before anything is stored', async () => {
    await expect(store(new FakeSafeStorage('basic_text'), { consent: false }).set('named/smtp', PASSWORD)).rejects.toThrow(/No keyring is running.*not saved/);
    expect(asked).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('stores under basic_text once the user agreed, asking only once', async () => {
    const secrets = store(new FakeSafeStorage('basic_text'), { consent: true });
    await secrets.set('named/smtp', PASSWORD);
    await secrets.set('named/webhook', 'token-123');
    expect(asked).toBe(1);
    expect(await secrets.get('named/smtp')).toBe(PASSWORD);
    expect(await everythingOnDisk()).not.toContain(PASSWORD);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ backend: 'basic_text', withoutKeyring: true });
  });

  it('pins the backend: a changed one neither reads nor replaces the secrets, and says why', async () => {
    await store(new FakeSafeStorage('kwallet5')).set('connection/partner-sftp/password', PASSWORD);
    const before = await readFile(file, 'utf8');
    const other = store(new FakeSafeStorage('basic_text'), { consent: true });
    await expect(other.get('connection/partner-sftp/password')).rejects.toThrow(/sealed by "kwallet5", but this session offers "basic_text".*"kwallet5" runs/);
    await expect(other.set('connection/partner-sftp/password', 'x')).rejects.toThrow(/sealed by "kwallet5"/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(asked).toBe(0);
  });

  it('names macOS and Windows keychains, which have one backend each', () => {
    expect(store(new FakeSafeStorage('unknown'), { platform: 'darwin' }).backend()).toBe('keychain');
    expect(store(new FakeSafeStorage('unknown'), { platform: 'win32' }).backend()).toBe('dpapi');
  });

  it('says which file is damaged rather than losing it', async () => {
    await writeFile(file, '{"version":1,');
    await expect(store(new FakeSafeStorage('gnome_libsecret')).get('x')).rejects.toThrow(`The secret store ${file} is damaged`);
    await expect(store(new FakeSafeStorage('gnome_libsecret')).set('x', 'y')).rejects.toThrow(/is damaged/);
    expect(await readFile(file, 'utf8')).toBe('{"version":1,');
  });
});

describe("the desktop's secrets beside the command line's", () => {
  it("finds what the command line stored, keeps its own in the keychain, and deletes from both", async () => {
    const commandLine = new EncryptedFileSecretStore({ file: join(dir, 'secrets.enc'), keyFile: join(dir, 'secret.key') });
    await commandLine.set('connection/partner-ftp/password', 'from-the-terminal');
    const secrets = desktopSecrets(store(new FakeSafeStorage('gnome_libsecret')), commandLine);
    expect(await secrets.get('connection/partner-ftp/password')).toBe('from-the-terminal');

    await secrets.set('connection/partner-sftp/password', PASSWORD);
    expect(await commandLine.get('connection/partner-sftp/password')).toBeUndefined();
    expect(await secrets.get('connection/partner-sftp/password')).toBe(PASSWORD);

    await secrets.set('connection/partner-ftp/password', 'changed-in-the-window');
    expect(await secrets.get('connection/partner-ftp/password')).toBe('changed-in-the-window');
    await secrets.delete('connection/partner-ftp/password');
    expect(await secrets.get('connection/partner-ftp/password')).toBeUndefined();
    expect(await commandLine.get('connection/partner-ftp/password')).toBeUndefined();
  });
});
