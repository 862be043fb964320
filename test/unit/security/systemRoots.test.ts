import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { systemRootCertificates } from '../../../src/security/systemRoots.js';

const run = promisify(execFile);

describe('system root certificates', () => {
  it("adds the operating system's CA bundle to Node's own roots", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-roots-'));
    try {
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Corp Internal CA',
        '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'bundle.pem')]);
      const corporate = (await readFile(join(dir, 'bundle.pem'), 'utf8')).trim();
      const roots = systemRootCertificates([join(dir, 'missing.pem'), join(dir, 'bundle.pem')]);
      expect(roots).toContain(corporate);
      expect(roots.length).toBe(rootCertificates.length + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
