import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One of the example flows shipped in `examples/`, offered as the start of a new job. */
export interface JobTemplate {
  /** The example's folder name, e.g. "01-partner-orders-to-erp": what the job editor is opened with. */
  readonly name: string;
  /** The example's title, from the first heading of its README. */
  readonly title: string;
  /** Its job files, e.g. ["job.yaml"], or ["inbound.job.yaml", "outbound.job.yaml"] for a flow in two parts. */
  readonly jobFiles: ReadonlyArray<string>;
}

const JOB_EXTENSIONS = new Set(['.yaml', '.yml']);
/** "# 01 — Partner orders…" or "# 04 · Catalog…": the number and its separator are the folder's, not the title's. */
const NUMBERED_HEADING = /^#\s+(?:\d+\s*[—·:-]\s*)?(.+)$/m;
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The examples folder beside the package: found by walking up from this module, because it sits one level
 * deeper once compiled (`out/src/jobs`) than in the sources (`src/jobs`).
 */
export function examplesFolder(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return join(dir, 'examples');
    if (dirname(dir) === dir) throw new Error(`No examples folder above ${from}: Ferry's installation is incomplete.`);
  }
}

/** The example flows, by folder name; a folder without a job file is not a template. */
export async function listJobTemplates(folder: string = examplesFolder()): Promise<JobTemplate[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const templates: JobTemplate[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const files = await readdir(join(folder, entry.name));
    const jobFiles = files.filter((f) => JOB_EXTENSIONS.has(extname(f).toLowerCase())).sort(mainJobFirst);
    if (jobFiles.length === 0) continue;
    const readme = await readFile(join(folder, entry.name, 'README.md'), 'utf8').catch(() => '');
    templates.push({ name: entry.name, title: NUMBERED_HEADING.exec(readme)?.[1]?.trim() ?? entry.name, jobFiles });
  }
  return templates;
}

/** "job.yaml" first when there is one: it is the flow's main job. */
function mainJobFirst(a: string, b: string): number {
  if (a === 'job.yaml') return -1;
  if (b === 'job.yaml') return 1;
  return a.localeCompare(b);
}

/** The YAML of one of a template's job files (its first when `file` is left out), to start a new job from. */
export async function readJobTemplate(name: string, file?: string, folder: string = examplesFolder()): Promise<string> {
  const template = (await listJobTemplates(folder)).find((t) => t.name === name);
  if (!TEMPLATE_NAME.test(name) || template === undefined) throw new Error(`No job template named ${JSON.stringify(name)} in ${folder}.`);
  const chosen = file ?? template.jobFiles[0];
  if (chosen === undefined || !template.jobFiles.includes(chosen)) {
    throw new Error(`The template ${name} has no job file ${JSON.stringify(file)}; it has ${template.jobFiles.join(', ')}.`);
  }
  return readFile(join(folder, name, chosen), 'utf8');
}
