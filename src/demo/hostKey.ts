import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';

export interface HostKey {
  /** OpenSSH private key text, for the server. */
  readonly privateKey: string;
  /** The public key blob, for known_hosts. */
  readonly publicKey: Buffer;
}

/**
 * The demo SFTP server's host key: made once and kept in `file` (readable by this user only), so that the
 * key Ferry trusts stays the same from one start to the next, as a real server's does.
 */
export async function demoHostKey(file: string): Promise<HostKey> {
  let privateKey: string;
  try {
    privateKey = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    privateKey = ssh2.utils.generateKeyPairSync('ed25519').private;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, privateKey, { mode: 0o600, flag: 'wx' });
  }
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`The demo host key in ${file} cannot be read: ${parsed.message}`);
  return { privateKey, publicKey: parsed.getPublicSSH() };
}
