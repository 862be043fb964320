import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let planted: string;

beforeAll(async () => {
  planted = await mkdtemp(join(tmpdir(), 'ferry-electronegativity-'));
  await writeFile(
    join(planted, 'index.ts'),
    "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });\n",
  );
});

afterAll(async () => {
  await rm(planted, { recursive: true, force: true });
});

const check = (folder?: string) => spawnSync('node', ['scripts/check-electron-security.js', ...(folder === undefined ? [] : [folder])], { encoding: 'utf8' });

describe('the static check of the Electron code', () => {
  it('fails on a HIGH finding and names it', () => {
    const result = check(planted);
    expect(result.stdout).toMatch(/HIGH +CONTEXT_ISOLATION_JS_CHECK .*index\.ts:2/);
    expect(result.status).toBe(1);
  });

  it("passes over Ferry's main process", () => {
    const result = check();
    expect(result.stdout).toMatch(/Electronegativity over main\/ \(Electron [\d.]+\): \d+ findings, 0 HIGH/);
    expect(result.status).toBe(0);
  });
});
