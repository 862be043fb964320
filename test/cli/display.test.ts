import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';
import { startHostileSftpServer, type HostileServer } from '../helpers/hostileServers.js';

/** A name that turns the terminal red, one that sets its title and one that reads backwards after U+202E. */
const RED = '\x1b[31mred.csv';
const TITLE = '\x1b]0;owned\x07title.csv';
const FLIPPED = 'invoice\u202efdp.exe';
const SHOWN: Readonly<Record<string, string>> = {
  [RED]: '\\x1b[31mred.csv',
  [TITLE]: '\\x1b]0;owned\\x07title.csv',
  [FLIPPED]: 'invoice\\u202efdp.exe',
};

/** Anything a terminal would act on rather than show; the line feeds between lines are the output's own. */
function activeCharacters(text: string): string[] {
  return [...text.replace(/\n/g, '').matchAll(/[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu)].map((m) => m[0]);
}

function expectShownSafely(run: FerryRun, names: ReadonlyArray<string>, stream: 'out' | 'err' = 'out'): void {
  expect(activeCharacters(run.out)).toEqual([]);
  expect(activeCharacters(run.err)).toEqual([]);
  for (const name of names) expect(run[stream]).toContain(SHOWN[name]);
}

describe('names with control characters are shown escaped, never sent raw to the terminal', () => {
  let home: string;
  let work: string;
  const ferry = (args: ReadonlyArray<string>): Promise<FerryRun> => runFerry(home, args);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-display-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-display-work-'));
    for (const name of [RED, TITLE, FLIPPED, 'plain.csv']) {
      await mkdir(join(work, 'in', 'sub'), { recursive: true });
      await writeFile(join(work, 'in', 'sub', name), 'a,b\n');
    }
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  describe('ls of a hostile SFTP server', () => {
    let server: HostileServer;
    beforeAll(async () => {
      await mkdir(join(work, 'share'));
      await writeFile(join(work, 'share', 'real.txt'), 'real\n');
      server = await startHostileSftpServer(join(work, 'share'), { '': [RED, TITLE, FLIPPED, 'evil\r\nname.txt', 'back\\slash.txt'] });
      const added = await runFerry(home, ['connection', 'add', 'hostile', `sftp://partner@127.0.0.1:${server.port}/`, '--password-stdin', '--accept-new-host-key'], 'any\n');
      expect(added.code, added.err).toBe(0);
    });
    afterAll(async () => server.close());

    it('lists the names escaped for a person, refused ones included', async () => {
      const listed = await ferry(['ls', 'hostile:']);
      expect(listed.code, listed.err).toBe(0);
      expectShownSafely(listed, [RED, TITLE, FLIPPED]);
      expect(listed.err).toContain('refused a listed name "evil\\x0d\\x0aname.txt": the name contains a line break');
    });

    it('gives JSON the exact names, refused ones as name and reason, with nothing a terminal acts on', async () => {
      const listed = await ferry(['ls', 'hostile:', '--json']);
      expect(activeCharacters(listed.out)).toEqual([]);
      const json = JSON.parse(listed.out) as { entries: Array<{ name: string }>; refused: unknown };
      expect(json.entries.map((e) => e.name).sort()).toEqual([RED, TITLE, FLIPPED, 'real.txt'].sort());
      expect(json.refused).toEqual(
        expect.arrayContaining([
          { name: 'evil\r\nname.txt', reason: 'the name contains a line break' },
          { name: 'back\\slash.txt', reason: 'the name contains a path separator (\\)' },
        ]),
      );
    });
  });

  it('copy: the dry-run plan, the failures and the history show names escaped', async () => {
    const plan = await ferry(['copy', join(work, 'in'), join(work, 'out'), '-r', '--dry-run']);
    expect(plan.code, plan.err).toBe(0);
    expectShownSafely(plan, [RED, TITLE, FLIPPED]);

    await mkdir(join(work, 'out'));
    await writeFile(join(work, 'out', 'sub'), 'a file where the folder must go');
    const failing = await ferry(['copy', join(work, 'in'), join(work, 'out'), '-r']);
    expect(failing.code).toBe(1);
    expectShownSafely(failing, [RED, TITLE, FLIPPED], 'err');

    const copied = await ferry(['copy', join(work, 'in'), join(work, 'copied'), '-r', '--json']);
    expect(copied.code, copied.err).toBe(0);
    const runs = JSON.parse((await ferry(['history', '--json'])).out) as Array<{ id: number }>;
    const items = await ferry(['history', '--run', String(runs[0]?.id)]);
    expectShownSafely(items, [RED, TITLE, FLIPPED]);
    expectShownSafely(await ferry(['history', '--search', 'red']), [RED]);
    const json = JSON.parse((await ferry(['history', '--run', String(runs[0]?.id), '--json'])).out) as Array<{ sourcePath: string }>;
    expect(json.map((i) => i.sourcePath)).toContainEqual(expect.stringMatching(new RegExp(`/sub/${FLIPPED}$`)));
  });

  it('jobs: the run, its preview and the quarantine list show names escaped', async () => {
    await mkdir(join(home, 'jobs'), { recursive: true });
    await writeFile(
      join(home, 'jobs', 'strict.yaml'),
      `version: 1
name: strict
source:
  location: ${join(work, 'in', 'sub')}
arrival:
  stableFor: 0s
validate:
  name: '^plain\\.csv$'
routes:
  - name: out
    to: ${join(work, 'delivered')}/
`,
    );
    const preview = await ferry(['run', 'strict', '--dry-run']);
    expectShownSafely(preview, [RED, TITLE, FLIPPED]);
    const run = await ferry(['run', 'strict']);
    expect(run.code, run.err).toBe(0);
    expectShownSafely(run, [RED, TITLE, FLIPPED], 'err');
    const held = await ferry(['quarantine', 'list']);
    expect(held.code, held.err).toBe(0);
    expectShownSafely(held, [RED, TITLE, FLIPPED]);
  });
});
