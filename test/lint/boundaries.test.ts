import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../eslint.boundaries.js';

/** Lints one planted file with the project's boundary rules only (no type information needed). */
async function violations(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: `${import.meta.dirname}/../..`,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('folder boundaries', () => {
  it.each([
    ['src/engine/planted.ts', "import { app } from 'electron';", /Electron belongs in main/],
    ['src/engine/planted.ts', "import React from 'react';", /React belongs in renderer/],
    ['src/engine/planted.ts', "import { x } from '../../main/security.js';", /may not import from main/],
    ['src/shared/util/planted.ts', "import { readFile } from 'node:fs';", /no Node built-ins/],
    ['src/shared/util/planted.ts', "import { transfer } from '../../engine/transfer.js';", /only from src\/shared/],
    ['renderer/planted.ts', "import { readFile } from 'node:fs/promises';", /no Node built-ins/],
    ['renderer/planted.ts', "import { transfer } from '../src/engine/transfer.js';", /only src\/shared/],
    ['renderer/planted.ts', "import { ipcRenderer } from 'electron';", /host API/],
    ['main/planted.ts', "import { x } from '../renderer/main.js';", /may not import the renderer/],
    ['main/preload/planted.ts', "import { spawn } from 'node:child_process';", /only electron/],
    ['main/preload/planted.ts', "import { transfer } from '../../src/engine/transfer.js';", /only electron and src\/shared/],
    ['main/preload/planted.ts', "import { isAppFrame } from '../security.js';", /only electron and src\/shared/],
    ['main/preload/planted.ts', "import { x } from './nested/x.js';", /only electron and src\/shared/],
  ])('%s: %s is refused', async (file, code, message) => {
    const found = await violations(file, code);
    expect(found.some((m) => message.test(m))).toBe(true);
  });

  it.each([
    ['src/engine/planted.ts', "import { readFile } from 'node:fs';"],
    ['src/shared/util/planted.ts', "import { assertNever } from './assertNever.js';"],
    ['src/shared/model/planted.ts', "import { assertNever } from '../util/assertNever.js';"],
    ['renderer/planted.ts', "import { APP_NAME } from '../src/shared/model/app.js';"],
    ['main/planted.ts', "import { transfer } from '../src/engine/transfer.js';"],
    ['main/preload/planted.ts', "import { contextBridge } from 'electron';"],
    ['main/preload/planted.ts', "import { exposeFerryBridge } from './bridge.js';"],
    ['main/preload/planted.ts', "import { COMMANDS } from '../../src/shared/contract/commands.js';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
