import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFerry } from '../helpers/runFerry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC_URL = `${pathToFileURL(join(ROOT, 'src')).href}/`;
const COMMANDS_DIR = join(ROOT, 'src', 'cli', 'commands');

/** Packages `ferry --help` and `ferry ls <local folder>` may load: the argument parser, nothing else. */
const PARSER_ONLY = ['commander'];
/** `ferry connection list` also checks connections.json against its schema. */
const PARSER_AND_SCHEMA = ['commander', 'zod'];
/** Ferry's own modules (by path under src/) that only transfers, jobs, the window, the history and the servers need. */
const HEAVY = [
  'connectors/openConnection.ts',
  'connectors/sftp/',
  'connectors/ftp/',
  'connectors/salesforce/',
  'engine/transfer.ts',
  'engine/copyFile.ts',
  'engine/sync/sync.ts',
  'workspace/recordedTransfer.ts',
  'workspace/recordedSync.ts',
  'workspace/jobServices.ts',
  'history/HistoryStore.ts',
  'host/',
  'jobs/',
  'mapping/',
  'validation/',
  'schedule/',
  'sandbox/',
  'demo/',
];

/** A module loader hook that appends every module URL the process loads to a file (one per line). */
const RECORD_LOADS = `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context); }`;

interface TracedRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  /** Every module URL loaded, in order. */
  readonly modules: ReadonlyArray<string>;
}

/** Runs `ferry <args>` from the sources in a process of its own, recording which modules it loads. */
async function traced(home: string, args: ReadonlyArray<string>): Promise<TracedRun> {
  const log = join(home, `loads-${Date.now()}-${Math.random().toString(16).slice(2)}.txt`);
  await writeFile(log, '');
  const hook = `data:text/javascript,${encodeURIComponent(RECORD_LOADS)}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)}, { data: { file: ${JSON.stringify(log)} } });`)}`;
  const entry = "const { main } = await import('./src/cli/main.ts'); await main();";
  // tsx runs the TypeScript sources as they are, so the test needs no build; 'ferry' stands in for the script's name in argv.
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', register, '--input-type=module', '-e', entry, 'ferry', ...args], {
    cwd: ROOT,
    env: { ...process.env, FERRY_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const modules = (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '');
  return { code, out, err, modules };
}

/** The npm packages among the loaded modules, by name. */
function packagesOf(modules: ReadonlyArray<string>): string[] {
  const names = modules.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []);
  return [...new Set(names)].sort();
}

/** Ferry's own modules among the loaded ones, relative to src/. */
function ferryModulesOf(modules: ReadonlyArray<string>): string[] {
  return modules.flatMap((url) => (url.startsWith(SRC_URL) ? [url.slice(SRC_URL.length)] : []));
}

function heavyAmong(modules: ReadonlyArray<string>): string[] {
  return ferryModulesOf(modules).filter((m) => HEAVY.some((prefix) => m.startsWith(prefix)));
}

describe('start-up: a command loads only what it uses', () => {
  let home: string;
  let folder: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-startup-home-'));
    folder = await mkdtemp(join(tmpdir(), 'ferry-startup-folder-'));
    await writeFile(join(folder, 'invoice-0001.csv'), 'id;amount\n1;10\n');
    await mkdir(join(folder, 'archive'));
    for (const args of [
      ['partner-sftp', 'sftp://ops@sftp.partner.example:2222/inbound', '--password-stdin'],
      ['archive', `file://${folder}`],
    ]) {
      const added = await runFerry(home, ['connection', 'add', ...args, '--no-test'], 'a-password');
      expect(added.code, added.err).toBe(0);
    }
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });
  });

  it('ferry --help loads the argument parser alone: no connector, transfer engine, job, history or window module', async () => {
    const run = await traced(home, ['--help']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Commands:');
    expect(packagesOf(run.modules)).toEqual(PARSER_ONLY);
    expect(heavyAmong(run.modules)).toEqual([]);
    expect(ferryModulesOf(run.modules)).not.toContain('workspace/Workspace.ts');
  });

  it('ferry connection list reads connections.json with its schema and loads no connector', async () => {
    const run = await traced(home, ['connection', 'list']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('partner-sftp');
    expect(run.out).toContain('archive');
    expect(packagesOf(run.modules)).toEqual(PARSER_AND_SCHEMA);
    expect(heavyAmong(run.modules)).toEqual([]);
  });

  it('ferry ls <local folder> lists it with the local connector alone', async () => {
    const run = await traced(home, ['ls', folder]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('invoice-0001.csv');
    expect(run.out).toContain('archive/');
    expect(packagesOf(run.modules)).toEqual(PARSER_ONLY);
    expect(heavyAmong(run.modules)).toEqual([]);
  });

  it('a command that needs more still loads it when it runs (ferry schema job: the job schema and zod)', async () => {
    const run = await traced(home, ['schema', 'job']);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toHaveProperty('$schema');
    expect(ferryModulesOf(run.modules)).toContain('jobs/definition/jobSchema.ts');
    expect(packagesOf(run.modules)).toContain('zod');
  });
});

/** Command names declared in src/cli/commands: `.command('name …')`, or `.command(`${flag ? 'a' : 'b'} …`)` for a pair. */
async function declaredCommands(): Promise<string[]> {
  const names: string[] = [];
  for (const file of (await readdir(COMMANDS_DIR)).filter((f) => f.endsWith('.ts'))) {
    const source = await readFile(join(COMMANDS_DIR, file), 'utf8');
    for (const m of source.matchAll(/\.command\(\s*(?:'([\w-]+)|`\$\{\w+ \? '([\w-]+)' : '([\w-]+)'\})/g)) {
      names.push(...[m[1], m[2], m[3]].filter((n) => n !== undefined));
    }
  }
  return names.sort();
}

/** The commands `--help` shows, at the top and below every command group, without commander's own `help`. */
async function commandsInHelp(home: string, path: ReadonlyArray<string> = []): Promise<string[]> {
  const help = await runFerry(home, [...path, '--help']);
  expect(help.code, help.err).toBe(0);
  const section = help.out.split(/^Commands:$/m)[1] ?? '';
  const names = [...section.matchAll(/^ {2}([\w-]+)/gm)].flatMap((m) => (m[1] === undefined || m[1] === 'help' ? [] : [m[1]]));
  const below = await Promise.all(names.map((name) => commandsInHelp(home, [...path, name])));
  return [...names, ...below.flat()];
}

describe('--help lists every command', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-help-home-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('every command declared in src/cli/commands, and nothing else, is in the help tree', async () => {
    const declared = await declaredCommands();
    expect(declared).toContain('ls');
    expect(declared).toContain('move');
    expect((await commandsInHelp(home)).sort()).toEqual(declared);
  });
});
