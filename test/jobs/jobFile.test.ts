import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { JobFileError, loadJobFile, parseJob } from '../../src/jobs/definition/loadJob.js';
import { jobJsonSchema } from '../../src/jobs/definition/jobSchema.js';
import { runFerry } from '../helpers/runFerry.js';

const VALID = `version: 1
name: partner-orders
source:
  location: partner-ftp:/outbox
validate:
  name: '^ORD-(?<partner>[A-Z]+)-(?<date>\\d{8})\\.csv$'
  maxSize: 10MB
routes:
  - name: erp
    to: erp-sftp:/inbound/{partner}/
    rename: '{partner}_{capture.date}{ext}'
`;

function problemsOf(text: string): JobFileError['problems'] {
  try {
    parseJob(text, '/jobs/orders.yaml');
  } catch (e) {
    if (e instanceof JobFileError) return e.problems;
    throw e;
  }
  throw new Error('the job was accepted');
}

describe('job files', () => {
  it('read with defaults filled in', () => {
    const { definition, baseDir } = parseJob(VALID, '/jobs/orders.yaml');
    expect(baseDir).toBe('/jobs');
    expect(definition.routes[0]?.conflict).toBe('changed');
    expect(definition.arrival.stableFor).toBe('5s');
    expect(definition.arrival.ignore).toContain('*.part');
    expect(definition.after.source).toBe('keep');
    expect(definition.routing).toBe('first');
  });

  it('name the line, column and field of each problem', () => {
    const problems = problemsOf(VALID.replace('maxSize: 10MB', 'maxSize: ten megabytes').replace('  - name: erp\n', '  - name: erp\n    colour: blue\n'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 7, field: 'validate.maxSize' }),
        expect.objectContaining({ line: 10, field: 'routes[0].colour', message: 'unknown field' }),
      ]),
    );
  });

  it('point at the parent when a required field is missing', () => {
    const problems = problemsOf(VALID.replace('  location: partner-ftp:/outbox\n', '  recursive: true\n'));
    expect(problems).toEqual([expect.objectContaining({ line: 4, field: 'source.location' })]);
  });

  it('report YAML syntax errors with their position', () => {
    const problems = problemsOf('version: 1\nname: [unclosed\n');
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
    expect(problems[0]?.field).toBe('');
  });

  it('refuse a newer format version, saying which one this Ferry reads', () => {
    const [problem, ...others] = problemsOf(VALID.replace('version: 1', 'version: 2'));
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ line: 1, field: 'version' });
    expect(problem?.message).toMatch(/reads job format version 1, not 2/);
  });

  it('refuse a template that uses a capture the name rule does not define', () => {
    const problems = problemsOf(VALID.replace("rename: '{partner}_{capture.date}{ext}'", "rename: '{customer}_{capture.date}{ext}'"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'routes[0].rename', line: 11 });
    expect(problems[0]?.message).toMatch(/\{capture.customer\} is not captured.*partner, date/);
  });

  it('refuse two routes with one name and a route with neither "to" nor "http"', () => {
    const twice = `${VALID}  - name: erp\n    to: ./copies/\n  - name: nowhere\n`;
    const problems = problemsOf(twice);
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['routes[2]']));
    const dup = problemsOf(`${VALID}  - name: erp\n    to: ./copies/\n`);
    expect(dup).toEqual([expect.objectContaining({ field: 'routes[1].name', message: 'another route is already named "erp"' })]);
  });

  it('read JSON as well, with the same line numbers', () => {
    const json = JSON.stringify(parseYaml(VALID), null, 2).replace('"10MB"', '"ten"');
    const problems = problemsOf(json);
    expect(problems).toEqual([expect.objectContaining({ field: 'validate.maxSize', line: json.split('\n').findIndex((l) => l.includes('"ten"')) + 1 })]);
  });

  it('publish a JSON Schema that accepts a valid job and rejects an unknown field', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(jobJsonSchema());
    expect(validate(parseYaml(VALID))).toBe(true);
    expect(validate({ ...(parseYaml(VALID) as object), colour: 'blue' })).toBe(false);
  });
});

describe('the paths of a job', () => {
  const PATHS = `version: 1
name: paths
source:
  location: partner-ftp:/outbox/./in//
arrival:
  trigger: ./READY
  doneFile: ./{name}.done
validate:
  name: '^ORD-(?<partner>[A-Z]+)\\.csv$'
quarantine:
  location: archive:/quarantine//held/
  returnTo: partner-ftp:rejected/
  note: ./{name}.txt
rename: ./{partner}//{name}
routes:
  - name: erp
    to: erp-sftp:/inbound/./{partner}/{date:yyyy/MM}/
    rename: ./{name}
    companion: { name: './meta/{stem}.json', fields: { partner: '{partner}' } }
  - name: local
    to: ./copies/
after:
  source: { moveTo: ./done/ }
`;

  it('are read in the one form a run uses them, whichever way they are written', () => {
    const { definition } = parseJob(PATHS, '/jobs/paths.yaml');
    expect(definition.source.location).toBe('partner-ftp:/outbox/in');
    expect(definition.arrival.trigger).toBe('READY');
    expect(definition.arrival.doneFile).toBe('{name}.done');
    expect(definition.quarantine).toMatchObject({ location: 'archive:/quarantine/held', returnTo: 'partner-ftp:rejected', note: '{name}.txt' });
    expect(definition.rename).toBe('{partner}/{name}');
    expect(definition.routes[0]).toMatchObject({ to: 'erp-sftp:/inbound/{partner}/{date:yyyy/MM}', rename: '{name}', companion: { name: 'meta/{stem}.json' } });
    // A folder on this machine is resolved by the operating system, against the job file's folder.
    expect(definition.routes[1]?.to).toBe('./copies/');
    expect(definition.after.source).toEqual({ moveTo: 'done' });
    expect(parseJob(PATHS.replace('moveTo: ./done/', 'moveTo: done/'), '/jobs/paths.yaml').definition.after.source).toEqual({ moveTo: 'done' });
  });

  it('are refused when they leave their folder, are absolute where they are below one, or name nothing', () => {
    const refused = (from: string, to: string): JobFileError['problems'] => problemsOf(PATHS.replace(from, to));
    expect(refused('moveTo: ./done/', 'moveTo: ../done')).toEqual([
      { line: 23, column: 21, field: 'after.source.moveTo', message: 'has a ".." segment, but it is a folder below the source folder' },
    ]);
    expect(refused('moveTo: ./done/', 'moveTo: /done')).toEqual([expect.objectContaining({ field: 'after.source.moveTo', message: 'is absolute, but it is a folder below the source folder' })]);
    expect(refused('moveTo: ./done/', "moveTo: './'")).toEqual([expect.objectContaining({ field: 'after.source.moveTo', message: 'names no folder: it is a folder below the source folder' })]);
    expect(refused('    rename: ./{name}', '    rename: "{name}/"')).toEqual([
      expect.objectContaining({ line: 18, field: 'routes[0].rename', message: "ends with \"/\", but it is a file below the route's destination folder" }),
    ]);
    expect(refused('doneFile: ./{name}.done', 'doneFile: done/{name}.ok')).toEqual([
      expect.objectContaining({ field: 'arrival.doneFile', message: "has a \"/\", but it is a name in the file's own folder" }),
    ]);
    expect(refused('trigger: ./READY', 'trigger: ../READY')).toEqual([expect.objectContaining({ field: 'arrival.trigger', message: 'has a ".." segment, but it is a file below the source folder' })]);
    expect(refused('to: erp-sftp:/inbound/./', 'to: erp-sftp:/inbound/../')).toEqual([
      expect.objectContaining({ line: 17, field: 'routes[0].to', message: 'has a ".." segment, but a path on the connection erp-sftp stays inside it' }),
    ]);
  });
});

describe('a job file that would exhaust memory', () => {
  it('with aliases that expand beyond reason (billion laughs) is refused where the aliases start', () => {
    const lol = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + i);
      lol.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    }
    const problems = problemsOf(`${VALID}laughs:\n${lol.map((l) => `  ${l}`).join('\n')}\n`);
    expect(problems).toEqual([expect.objectContaining({ line: 14, column: 10, field: '' })]);
    expect(problems[0]?.message).toMatch(/alias.*more than 100/);
  });

  it('is a job file error on the command line too: exit 2, file:line:column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-jobfile-'));
    try {
      const file = join(dir, 'laughs.yaml');
      await writeFile(file, `${VALID}laughs:\n  a: &a [lol, lol]\n  b: [${Array.from({ length: 101 }, () => '*a').join(', ')}]\n`);
      const run = await runFerry(join(dir, 'home'), ['run', file, '--dry-run']);
      expect(run.code).toBe(2);
      expect(run.err).toContain(`${file}:14:7 its aliases stand for more than 100 values`);
      expect(run.err).not.toMatch(/ReferenceError|\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('larger than 1 MiB is refused unread, naming the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-jobfile-'));
    try {
      const file = join(dir, 'huge.yaml');
      await writeFile(file, `${VALID}description: '${'x'.repeat(1024 * 1024)}'\n`);
      const error = await loadJobFile(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(JobFileError);
      const problems = (error as JobFileError).problems;
      expect(problems).toEqual([expect.objectContaining({ line: 1, column: 1, field: '' })]);
      expect(problems[0]?.message).toBe('is larger than 1 MiB, the most a job file may be');
      expect((error as JobFileError).message).toContain(`${file}:1:1 is larger than 1 MiB`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the published job schema', () => {
  it('in docs/ is the one this Ferry prints with "ferry schema job"', async () => {
    const { readFile } = await import('node:fs/promises');
    const published = JSON.parse(await readFile(new URL('../../docs/job.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(published).toEqual(jobJsonSchema());
  });
});

describe('a name rule', () => {
  it('whose group has the name of a placeholder makes the bare placeholder ambiguous', () => {
    const problems = problemsOf(VALID.replace("rename: '{partner}_{capture.date}{ext}'", "rename: '{partner}_{date}{ext}'"));
    expect(problems).toEqual([expect.objectContaining({ field: 'routes[0].rename', line: 11 })]);
    expect(problems[0]?.message).toMatch(/\{date\} is Ferry's own placeholder, not the group "date" of validate.name: write \{capture.date\}/);
  });
});

describe('the manual', () => {
  it("has a first job that Ferry accepts as written", async () => {
    const { readFile } = await import('node:fs/promises');
    const manual = await readFile(new URL('../../docs/jobs.md', import.meta.url), 'utf8');
    const block = /## Your first job[\s\S]*?```yaml\n([\s\S]*?)```/.exec(manual)?.[1];
    expect(block).toBeDefined();
    const text = (block ?? '').replace(/^ {3}/gm, '');
    const { definition } = parseJob(text, '/work/orders.yaml');
    expect(definition.name).toBe('partner-orders');
    expect(definition.routes.map((r) => r.name)).toEqual(['erp']);
  });
});
