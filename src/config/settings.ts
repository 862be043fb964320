import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { TransferError } from '../connectors/errors.js';
import { smtpServerSchema } from '../notify/config.js';

export const settingsSchema = z
  .strictObject({
    smtp: z.record(z.string(), smtpServerSchema).default({}).describe('SMTP servers for e-mail notifications, by name ("default" unless a rule names another).'),
    connectionLimits: z
      .record(z.string(), z.int().min(1).max(64))
      .default({})
      .describe('Connection name → how many jobs may use it at once; shared by every job the daemon runs.'),
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
