import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import {
  KnownHosts,
  fingerprintSha256,
  keyTypeOf,
  knownHostsName,
  parsePublicKeyLine,
  type HostKeyAnswer,
} from '../../../src/security/KnownHosts.js';

interface TestKey {
  /** `type base64` as in a .pub file, without the comment. */
  readonly line: string;
  readonly blob: Buffer;
  /** What `ssh-keygen -lf` prints for it. */
  readonly fingerprint: string;
}

let dir: string;
let ed1: TestKey;
let ed2: TestKey;
let rsa: TestKey;
let n = 0;

function makeKey(type: 'ed25519' | 'rsa'): TestKey {
  const file = join(dir, `key-${type}-${n++}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file]);
  const line = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  return { line, blob: parsePublicKeyLine(line), fingerprint };
}

function freshFile(): string {
  return join(dir, `ferry_known_hosts_${n++}`);
}

async function refusal(kh: KnownHosts, host: string, port: number, key: TestKey): Promise<TransferError> {
  const result = await kh.verify(host, port, key.blob);
  expect(result).toBeInstanceOf(TransferError);
  if (result === undefined) throw new Error('expected a refusal');
  return result;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-knownhosts-'));
  ed1 = makeKey('ed25519');
  ed2 = makeKey('ed25519');
  rsa = makeKey('rsa');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('fingerprints and key parsing', () => {
  it('prints the same SHA256 fingerprint as ssh-keygen', () => {
    expect(fingerprintSha256(ed1.blob)).toBe(ed1.fingerprint);
    expect(fingerprintSha256(rsa.blob)).toBe(rsa.fingerprint);
    expect(ed1.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('reads the key type from the blob and refuses text that is not a key', () => {
    expect(keyTypeOf(ed1.blob)).toBe('ssh-ed25519');
    expect(keyTypeOf(rsa.blob)).toBe('ssh-rsa');
    expect(() => parsePublicKeyLine('ssh-ed25519 not-base64!')).toThrow(TransferError);
    // The type outside must agree with the type inside the blob.
    expect(() => parsePublicKeyLine(`ssh-rsa ${ed1.line.split(' ')[1]}`)).toThrow(TransferError);
  });

  it('looks up port 22 by bare name and other ports as [host]:port', () => {
    expect(knownHostsName('Example.COM', 22)).toBe('example.com');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });
});

describe('KnownHosts', () => {
  it('accepts a key listed for the host', async () => {
    const path = freshFile();
    writeFileSync(path, `# Ferry\n\nexample.com ${ed1.line} comment here\n`);
    const kh = new KnownHosts({ path, policy: 'strict' });
    expect(await kh.verify('example.com', 22, ed1.blob)).toBeUndefined();
    expect(await kh.verify('EXAMPLE.com', 22, ed1.blob)).toBeUndefined();
  });

  it('refuses an unknown key in strict mode, showing the fingerprint and how to accept it', async () => {
    const path = freshFile();
    const kh = new KnownHosts({ path, policy: 'strict' });
    const err = await refusal(kh, 'sftp.partner.test', 22, ed1);
    expect(err.kind).toBe('hostKey');
    expect(err.fatal).toBe(true);
    expect(err.message).toContain('sftp.partner.test:22');
    expect(err.message).toContain(ed1.fingerprint);
    expect(err.message).toContain('--accept-new-host-key');
    expect(existsSync(path)).toBe(false);
  });

  it('records an unknown key under accept-new and accepts it afterwards, even in strict mode', async () => {
    const path = freshFile();
    const kh = new KnownHosts({ path, policy: 'accept-new' });
    expect(await kh.verify('127.0.0.1', 2222, ed1.blob)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(`[127.0.0.1]:2222 ${ed1.line}\n`);
    expect(await kh.verify('127.0.0.1', 2222, ed1.blob)).toBeUndefined();
    expect(await new KnownHosts({ path, policy: 'strict' }).verify('127.0.0.1', 2222, ed1.blob)).toBeUndefined();
    // OpenSSH reads what Ferry wrote.
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', path], { encoding: 'utf8' });
    expect(found).toContain(ed1.line);
  });

  it('asks a person about an unknown key: records trust, connects once without recording, refuses a no, and never asks about a changed key', async () => {
    const path = freshFile();
    const asked: string[] = [];
    const answering = (answer: HostKeyAnswer) =>
      new KnownHosts({
        path,
        policy: 'strict',
        confirmUnknown: async (q) => {
          asked.push(`${q.host}:${q.port} ${q.keyType} ${q.fingerprint}`);
          return answer;
        },
      });
    expect((await refusal(answering('refuse'), 'ask.test', 22, ed1)).kind).toBe('hostKey');
    expect(existsSync(path)).toBe(false);
    expect(await answering('once').verify('ask.test', 22, ed1.blob)).toBeUndefined();
    expect(existsSync(path)).toBe(false);
    expect(await answering('trust').verify('ask.test', 22, ed1.blob)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(`ask.test ${ed1.line}\n`);
    expect(asked).toEqual(Array.from({ length: 3 }, () => `ask.test:22 ssh-ed25519 ${ed1.fingerprint}`));
    expect((await refusal(answering('trust'), 'ask.test', 22, ed2)).message).toContain('CHANGED');
    expect(asked).toHaveLength(3);
  });

  it('records a key once when several connections meet the same new server at the same time', async () => {
    const path = freshFile();
    const kh = new KnownHosts({ path, policy: 'accept-new' });
    const results = await Promise.all(Array.from({ length: 8 }, () => kh.verify('burst.test', 22, ed1.blob)));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('refuses a changed key naming both fingerprints, even under accept-new, and leaves the file alone', async () => {
    const path = freshFile();
    writeFileSync(path, `[10.0.0.5]:2022 ${ed1.line}\n`);
    const before = readFileSync(path, 'utf8');
    for (const policy of ['strict', 'accept-new'] as const) {
      const err = await refusal(new KnownHosts({ path, policy }), '10.0.0.5', 2022, ed2);
      expect(err.kind).toBe('hostKey');
      expect(err.message).toContain('10.0.0.5:2022');
      expect(err.message).toContain('CHANGED');
      expect(err.message).toContain(ed1.fingerprint);
      expect(err.message).toContain(ed2.fingerprint);
      expect(err.message).toContain(`${path}:1`);
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('treats a key of another type for a known host as changed', async () => {
    const path = freshFile();
    writeFileSync(path, `host.test ${rsa.line}\n`);
    const kh = new KnownHosts({ path, policy: 'accept-new' });
    const err = await refusal(kh, 'host.test', 22, ed1);
    expect(err.message).toContain(rsa.fingerprint);
    expect(err.message).toContain(ed1.fingerprint);
    expect(await kh.knownKeyTypes('host.test', 22)).toEqual(['ssh-rsa']);
    expect(await kh.knownKeyTypes('other.test', 22)).toEqual([]);
  });

  it('matches hashed entries written by ssh-keygen -H, for port 22 and other ports', async () => {
    const userFile = freshFile();
    writeFileSync(userFile, `hashed.test ${ed1.line}\n[hashed.test]:2200 ${ed2.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', userFile], { stdio: 'ignore' });
    const hashed = readFileSync(userFile, 'utf8');
    expect(hashed).not.toContain('hashed.test');
    expect(hashed.startsWith('|1|')).toBe(true);

    const kh = new KnownHosts({ path: freshFile(), readOnlyPaths: [userFile], policy: 'strict' });
    expect(await kh.verify('hashed.test', 22, ed1.blob)).toBeUndefined();
    expect(await kh.verify('hashed.test', 2200, ed2.blob)).toBeUndefined();
    // Each port has its own key: the other one is a change, not a match.
    expect((await refusal(kh, 'hashed.test', 22, ed2)).message).toContain('CHANGED');
    expect((await refusal(kh, 'unhashed.test', 22, ed1)).message).toContain('not known');
  });

  it('keeps non-22 ports apart from the bare host name', async () => {
    const path = freshFile();
    writeFileSync(path, `[porty.test]:2222 ${ed1.line}\n`);
    const kh = new KnownHosts({ path, policy: 'strict' });
    expect(await kh.verify('porty.test', 2222, ed1.blob)).toBeUndefined();
    expect((await refusal(kh, 'porty.test', 22, ed1)).message).toContain('porty.test:22 is not known');
    expect((await refusal(kh, 'porty.test', 2223, ed1)).message).toContain('porty.test:2223 is not known');
  });

  it('never writes to read-only files and reports where an old key lives', async () => {
    const userFile = freshFile();
    writeFileSync(userFile, `shared.test,10.1.1.1 ${ed1.line}\n`);
    const path = freshFile();
    const kh = new KnownHosts({ path, readOnlyPaths: [userFile, join(dir, 'absent')], policy: 'accept-new' });
    expect(await kh.verify('10.1.1.1', 22, ed1.blob)).toBeUndefined();
    expect(existsSync(path)).toBe(false);
    expect((await refusal(kh, 'shared.test', 22, ed2)).message).toContain(`${userFile}:1`);
  });

  it('honours wildcards and negations as OpenSSH does', async () => {
    const path = freshFile();
    writeFileSync(path, `*.corp.test,!evil.corp.test ${ed1.line}\n`);
    const kh = new KnownHosts({ path, policy: 'strict' });
    expect(await kh.verify('files.corp.test', 22, ed1.blob)).toBeUndefined();
    expect((await refusal(kh, 'evil.corp.test', 22, ed1)).message).toContain('not known');
  });

  it('refuses a @revoked key for any host and ignores @cert-authority lines', async () => {
    const path = freshFile();
    writeFileSync(path, `@revoked * ${ed2.line}\nok.test ${ed2.line}\n@cert-authority *.test ${ed1.line}\n`);
    const kh = new KnownHosts({ path, policy: 'accept-new' });
    const err = await refusal(kh, 'ok.test', 22, ed2);
    expect(err.message).toContain('@revoked');
    expect(err.message).toContain(ed2.fingerprint);
    // The CA line makes nothing known: the plain key is new, so accept-new records it.
    expect(await kh.verify('ca.test', 22, ed1.blob)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toContain(`ca.test ${ed1.line}`);
    await expect(kh.record('other.test', 22, ed2.blob)).rejects.toMatchObject({ kind: 'hostKey' });
  });

  it('records a key explicitly, hashed when asked, and forgets it again', async () => {
    const path = freshFile();
    const kh = new KnownHosts({ path, policy: 'strict', hashNewEntries: true });
    await kh.record('127.0.0.1', 2022, `${ed1.line} root@server`);
    await kh.record('127.0.0.1', 2022, ed1.blob);
    const text = readFileSync(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).not.toContain('127.0.0.1');
    expect(execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2022', '-f', path], { encoding: 'utf8' })).toContain(
      ed1.line,
    );
    expect(await kh.verify('127.0.0.1', 2022, ed1.blob)).toBeUndefined();

    expect(await kh.forget('127.0.0.1', 2022)).toBe(1);
    expect((await refusal(kh, '127.0.0.1', 2022, ed1)).message).toContain('not known');
  });

  it('replaces a changed key only through forget, then record', async () => {
    const path = freshFile();
    writeFileSync(path, `# kept\nmoved.test ${ed1.line}\nstay.test ${ed1.line}\n`);
    const kh = new KnownHosts({ path, policy: 'strict' });
    expect(await kh.forget('moved.test', 22)).toBe(1);
    await kh.record('moved.test', 22, ed2.line);
    expect(await kh.verify('moved.test', 22, ed2.blob)).toBeUndefined();
    expect(await kh.verify('stay.test', 22, ed1.blob)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toContain('# kept');
  });

  it('reports an unreadable file as a configuration problem instead of trusting less', async () => {
    const kh = new KnownHosts({ path: dir, policy: 'accept-new' });
    const err = await refusal(kh, 'any.test', 22, ed1);
    expect(err.kind).toBe('config');
  });
});
