import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinary } from '../../src/demo/desktopShell.js';

describe('finding the desktop app', () => {
  let pkg: string;

  beforeEach(async () => {
    pkg = await mkdtemp(join(tmpdir(), 'ferry-electron-'));
    await writeFile(join(pkg, 'index.js'), 'module.exports = "never loaded";\n');
  });
  afterEach(async () => {
    await rm(pkg, { recursive: true, force: true });
  });

  it('finds the binary the electron package says it downloaded', async () => {
    await writeFile(join(pkg, 'path.txt'), 'electron');
    await mkdir(join(pkg, 'dist'));
    await writeFile(join(pkg, 'dist', 'electron'), '');
    expect(electronBinary(join(pkg, 'index.js'))).toBe(join(pkg, 'dist', 'electron'));
  });

  it('finds none where the download was skipped or its binary is gone', async () => {
    expect(electronBinary(join(pkg, 'index.js'))).toBeUndefined();
    await writeFile(join(pkg, 'path.txt'), 'electron');
    expect(electronBinary(join(pkg, 'index.js'))).toBeUndefined();
  });
});
