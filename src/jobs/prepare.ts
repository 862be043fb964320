import { copyFile, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parse as parseYaml } from 'yaml';
import { TransferError } from '../connectors/errors.js';
import { joinRelative, normalizeRelative, parentOf } from '../connectors/paths.js';
import { convertFile, type Conversion } from '../mapping/convert.js';
import { parseProfile } from '../mapping/profile.js';
import { renderName, renderTemplate, type TemplateVars } from '../mapping/template.js';
import type { Companion, JobDefinition, JobRoute } from './definition/jobSchema.js';
import { sha256Of } from './stage.js';

/** One file ready to go to one route, in the run's staging folder. */
export interface PreparedOutput {
  readonly route: string;
  /** Below the staging root: `out/<route>/<item>/<name>`. */
  readonly staged: string;
  /** The delivered name (may contain folders, when a rename template makes them). */
  readonly name: string;
  /** The rendered destination folder, relative to the route's connection root. */
  readonly folder: string;
  /** The source file's folders below the source folder and the delivered name: what a naming rule with folders reads. */
  readonly sourcePath: string;
  readonly size: number;
  readonly sha256: string;
  /** For a companion file: the staged path of the file it describes (it goes to the same record). */
  readonly companionOf?: string;
}

type ConvertSpec = NonNullable<JobRoute['convert']>;

/** Partner profiles read once per run, by absolute path. */
export class ConversionCache {
  readonly #profiles = new Map<string, Promise<unknown>>();
  readonly #baseDir: string;

  constructor(baseDir: string) {
    this.#baseDir = baseDir;
  }

  async conversion(spec: ConvertSpec): Promise<Conversion> {
    if (!('profile' in spec)) return spec;
    const file = resolve(this.#baseDir, spec.profile);
    let loading = this.#profiles.get(file);
    if (loading === undefined) {
      loading = readFile(file, 'utf8').then((text) => parseProfile(parseYaml(text) as unknown, file));
      this.#profiles.set(file, loading);
    }
    let profile: Awaited<ReturnType<typeof parseProfile>>;
    try {
      profile = (await loading) as Awaited<ReturnType<typeof parseProfile>>;
    } catch (e) {
      throw new TransferError('config', `The partner profile ${file} cannot be used: ${(e as Error).message}`, { cause: e });
    }
    const conversion = profile[spec.direction];
    if (conversion === undefined) throw new TransferError('config', `The partner profile ${file} has no ${spec.direction} conversion`);
    return conversion;
  }
}

export interface PrepareRequest {
  readonly job: JobDefinition;
  readonly itemId: number;
  readonly stagedInput: string;
  /** The staged file's size and digest, which an unconverted output shares. */
  readonly stagedDigest: { readonly size: number; readonly sha256: string };
  readonly routes: ReadonlyArray<JobRoute>;
  /** Each route's destination path as written (a template), relative to its connection root. */
  readonly routeFolders: ReadonlyMap<string, string>;
  readonly vars: TemplateVars;
  readonly stagingRoot: string;
  readonly conversions: ConversionCache;
  /** Outputs an earlier attempt already delivered, by `deliveryKey`: not prepared again. */
  readonly delivered: ReadonlySet<string>;
  readonly signal: AbortSignal;
}

/**
 * Builds what each route delivers for one file: the renamed (and, where the route says, converted)
 * file and its companion metadata file. Names come from templates that refuse to leave the target
 * folder, so a hostile remote name cannot place a file anywhere else.
 */
export async function prepareOutputs(req: PrepareRequest): Promise<PreparedOutput[]> {
  const outputs: PreparedOutput[] = [];
  const sourceDir = parentOf(req.vars.relativePath ?? '');
  for (const route of req.routes) {
    req.signal.throwIfAborted();
    // Names are checked against the name limit here, before anything is staged under them.
    const name = normalizeRelative(renderName(route.rename ?? req.job.rename ?? '{name}', req.vars));
    // A folder is written "erp:/in/{type}/": its leading and trailing slashes are not path segments.
    const folderTemplate = (req.routeFolders.get(route.name) ?? '').replace(/^\/+|\/+$/g, '');
    const folder = folderTemplate.includes('{') ? normalizeRelative(renderName(folderTemplate, req.vars)) : normalizeRelative(folderTemplate);
    const staged = joinRelative(`out/${route.name}/${req.itemId}`, name);
    const companionName = route.companion === undefined ? undefined : normalizeRelative(renderName(route.companion.name, { ...req.vars, name }));
    if (companionName !== undefined && companionName === name) {
      throw new TransferError('config', `Route ${route.name}: the companion file would have the same name as the file (${name})`);
    }
    const itemFolder = join(req.stagingRoot, 'out', route.name, String(req.itemId));
    if (!req.delivered.has(deliveryKey(staged))) {
      await rm(itemFolder, { recursive: true, force: true });
      const local = join(req.stagingRoot, ...staged.split('/'));
      await mkdir(dirname(local), { recursive: true });
      if (route.convert !== undefined) {
        // Header, trailer and mapped {date} values read the run time in the schedule's zone, as names do.
        const clock = { now: req.vars.now, ...(req.vars.timeZone === undefined ? {} : { timeZone: req.vars.timeZone }) };
        await convertFile(req.stagedInput, local, await req.conversions.conversion(route.convert), clock, req.signal);
      } else {
        await linkOrCopy(req.stagedInput, local);
      }
      const digest = route.convert === undefined ? req.stagedDigest : await sizeAndDigest(local);
      outputs.push({ route: route.name, staged, name, folder, sourcePath: joinRelative(sourceDir, name), size: digest.size, sha256: digest.sha256 });
    }
    if (route.companion !== undefined && companionName !== undefined) {
      const companionStaged = joinRelative(`out/${route.name}/${req.itemId}`, companionName);
      if (!req.delivered.has(deliveryKey(companionStaged))) {
        const local = join(req.stagingRoot, ...companionStaged.split('/'));
        await mkdir(dirname(local), { recursive: true });
        await writeFile(local, companionText(route.companion, { ...req.vars, name }));
        outputs.push({ route: route.name, staged: companionStaged, name: companionName, folder, sourcePath: joinRelative(sourceDir, companionName), companionOf: staged, ...(await sizeAndDigest(local)) });
      }
    }
  }
  return outputs;
}

/**
 * What identifies an output across runs: its route and delivered name, without the item id in its
 * staged path, so that a later run of the same file recognises what an earlier one delivered.
 */
export function deliveryKey(staged: string): string {
  const [, route, , ...name] = staged.split('/');
  return `${route ?? ''}/${name.join('/')}`;
}

function companionText(companion: Companion, vars: TemplateVars): string {
  const values = Object.fromEntries(Object.entries(companion.fields).map(([key, template]) => [key, renderTemplate(template, vars)]));
  if (companion.format === 'json') return `${JSON.stringify(values, null, 2)}\n`;
  return stringify([values], { header: true, record_delimiter: 'windows' });
}

/** A hard link costs nothing; where the staging folder spans devices, a copy. */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

async function sizeAndDigest(path: string): Promise<{ size: number; sha256: string }> {
  return { size: (await stat(path)).size, sha256: await sha256Of(path) };
}
