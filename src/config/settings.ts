import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { TransferError } from '../connectors/errors.js';
import { smtpServerSchema } from '../notify/config.js';
import { bandwidthText } from '../shared/model/bandwidthSchema.js';

export const settingsSchema = z
  .strictObject({
    smtp: z.record(z.string(), smtpServerSchema).default({}).describe('SMTP servers for e-mail notifications, by name ("default" unless a rule names another).'),
    connectionLimits: z
      .record(z.string(), z.int().min(1).max(64))
      .default({})
      .describe('Connection name → how many jobs may use it at once; shared by every job the daemon runs.'),
    bandwidth: bandwidthText.optional().describe('A bandwidth limit for all of Ferry\'s transfers together, on top of each connection\'s and each run\'s.'),
  })
  .describe('Ferry workspace settings.');

export type Settings = z.output<typeof settingsSchema>;

/** Reads `settings.json`; a missing file means the defaults, a broken one is an error naming it. */
export async function loadSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new TransferError('config', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TransferError('config', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = settingsSchema.safeParse(value);
  if (!parsed.success) {
    throw new TransferError('config', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * Sets one setting in `settings.json` (undefined removes it), keeping the rest of the file as it is; the
 * result must still be valid settings, or nothing is written.
 */
export async function saveSetting<K extends keyof Settings>(file: string, key: K, value: z.input<typeof settingsSchema>[K] | undefined): Promise<void> {
  await loadSettings(file);
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const next: Record<string, unknown> = { ...raw, [key]: value };
  if (value === undefined) delete next[key];
  settingsSchema.parse(next);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
