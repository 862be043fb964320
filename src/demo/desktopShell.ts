import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where Electron's binary is, when it is installed. The `electron` package keeps its binary's path in
 * `path.txt` beside its entry point once its download has finished; the package is read, never loaded,
 * so the core stays free of Electron. Undefined where the package or its download is missing (build
 * machines skip the download).
 */
export function electronBinary(entry = electronEntry()): string | undefined {
  if (entry === undefined) return undefined;
  const pathFile = join(dirname(entry), 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dirname(entry), 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/** The `electron` package's entry point, where Node would find it from here. */
function electronEntry(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('electron');
  } catch {
    return undefined;
  }
}

/**
 * Runs Ferry's desktop window (the app in `appFolder`) with this data folder until the window is closed
 * or `signal` fires, which closes it.
 */
export async function runDesktopShell(binary: string, appFolder: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<void> {
  const shell = spawn(binary, [appFolder], { env, stdio: 'inherit' });
  const closed = new Promise<void>((resolve, reject) => {
    shell.once('error', reject);
    shell.once('exit', () => resolve());
  });
  const close = (): void => {
    shell.kill('SIGTERM');
  };
  signal.addEventListener('abort', close, { once: true });
  if (signal.aborted) close();
  try {
    await closed;
  } finally {
    signal.removeEventListener('abort', close);
  }
}
