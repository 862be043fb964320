import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseDocument } from 'yaml';

/** One of the example flows a new job can start from. */
export interface JobTemplate {
  /** The job's name in its file, which names the template too. */
  readonly name: string;
  /** The example folder it comes from, e.g. `01-partner-orders-to-erp`. */
  readonly flow: string;
  readonly description: string;
  readonly file: string;
}

/** The job files of the example flows in `examplesDir` (`examples/*\/*.yaml`), by folder, then file. */
export async function jobTemplates(examplesDir: string): Promise<JobTemplate[]> {
  const templates: JobTemplate[] = [];
  const flows = (await readdir(examplesDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const flow of flows) {
    const names = (await readdir(join(examplesDir, flow))).filter((n) => ['.yaml', '.yml'].includes(extname(n))).sort();
    for (const name of names) {
      const file = join(examplesDir, flow, name);
      const fields: unknown = parseDocument(await readFile(file, 'utf8')).toJS();
      if (typeof fields !== 'object' || fields === null || !('name' in fields) || typeof fields.name !== 'string') continue;
      const description = 'description' in fields && typeof fields.description === 'string' ? fields.description : '';
      templates.push({ name: fields.name, flow, description, file });
    }
  }
  return templates;
}

/** `base`, or `base-2`, `base-3`, … : the first that no job has yet. */
export function freshJobName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
