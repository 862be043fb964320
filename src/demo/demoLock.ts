import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TransferError } from '../connectors/errors.js';

/** The demo's claim on a data folder, held while its servers run. */
export interface DemoLock {
  release(): Promise<void>;
}

/** Claims this process holds, to tell them from a claim left by an ended process of the same number. */
const heldHere = new Set<string>();

/**
 * Claims the data folder for this process's demo: a second demo would save its own ports and passwords
 * over the first's, leaving the first window connected to servers that are not its own. A claim left by
 * a process that has ended is taken over.
 */
export async function claimDemo(file: string): Promise<DemoLock> {
  await mkdir(dirname(file), { recursive: true });
  for (;;) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      heldHere.add(file);
      return {
        release: async () => {
          heldHere.delete(file);
          await unlink(file).catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    // This process's own number in a claim it does not hold: an ended process had the same number.
    const held = holder === process.pid ? heldHere.has(file) : Number.isInteger(holder) && isRunning(holder);
    if (held) {
      throw new TransferError('config', `The demo is already running in this data folder (process ${holder}): use its window, or stop it first`);
    }
    await unlink(file).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
