import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import { Prompts } from '../../src/host/Prompts.js';
import type { CommandOutput } from '../../src/shared/contract/commands.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { runFerry } from '../helpers/runFerry.js';
import { openSshFingerprint } from '../helpers/servers/index.js';
import { openHost, type OpenHost } from './openHost.js';

/** The core the window talks to, driven through its contract as a transport would. */
describe('the core behind the window', () => {
  let host: OpenHost;

  beforeEach(async () => {
    host = await openHost('ferry-host-');
  });
  afterEach(() => host.close());

  const local = (p: string): string => join(host.work, p).slice(1);
  const untilState = async (id: string, states: ReadonlyArray<string>): Promise<void> => {
    while (!host.seen.some((m) => m.event === 'transfer.state' && m.payload.id === id && states.includes(m.payload.state))) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('answers an unknown command and a payload off the contract as errors, never by throwing', async () => {
    expect(await host.core.invoke('files.format', {})).toEqual({ ok: false, error: { kind: 'unknownCommand', message: 'Ferry has no command "files.format"', retryable: false } });
    const bad = await host.core.invoke('files.list', { connection: THIS_COMPUTER, path: 'x', offset: -1, limit: 10, sort: { by: 'name', direction: 'asc' } });
    expect(bad.ok ? undefined : [bad.error.kind, bad.error.message]).toEqual(['badRequest', 'files.list: Too small: expected number to be >=0 (offset)']);
    const missing = await host.core.invoke('connections.test', { name: 'nowhere' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'config', message: 'No connection named "nowhere" (see "ferry connection list")' } });
  });

  it('adds a connection tested, lists it as a URL that adds it again, and removes it', async () => {
    await mkdir(join(host.work, 'partner'));
    const added = await host.call('connections.add', { name: 'partner', url: `file://${host.work}/partner`, test: true });
    expect(added.connection).toEqual({ name: 'partner', kind: 'local', location: `file://${host.work}/partner`, sdrive: false });
    expect(added.report?.capabilities).toMatchObject({ rename: true, resume: true, keepsTimes: true });
    expect((await host.call('connections.list', {})).connections.map((c) => c.name)).toEqual(['partner']);
    const refused = await host.core.invoke('connections.add', { name: 'partner2', url: `file://${host.work}/partner`, password: 'x', test: false });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'config', message: 'a password does not apply to file:// connections' } });
    await host.call('connections.remove', { name: 'partner' });
    expect((await host.call('connections.list', {})).connections).toEqual([]);
  });

  it('pages a big folder sorted and filtered by the host, folders first', async () => {
    await mkdir(join(host.work, 'big'));
    await mkdir(join(host.work, 'big', 'zz-folder'));
    await Promise.all(Array.from({ length: 3000 }, (_, i) => writeFile(join(host.work, 'big', `f${i}.csv`), 'x'.repeat(i % 7))));
    const sort = { by: 'name' as const, direction: 'asc' as const };
    const first = await host.call('files.list', { connection: THIS_COMPUTER, path: local('big'), offset: 0, limit: 3, sort });
    expect(first.total).toBe(3001);
    expect(first.entries.map((e) => e.name)).toEqual(['zz-folder', 'f0.csv', 'f1.csv']);
    const last = await host.call('files.list', { connection: THIS_COMPUTER, path: local('big'), offset: 2999, limit: 10, sort });
    expect(last.entries.map((e) => e.name)).toEqual(['f2998.csv', 'f2999.csv']);
    const filtered = await host.call('files.list', { connection: THIS_COMPUTER, path: local('big'), offset: 0, limit: 50, sort: { by: 'size', direction: 'desc' }, filter: 'F299' });
    expect(filtered.entries.map((e) => e.name)).toEqual(['f2995.csv', 'f299.csv', 'f2994.csv', 'f2993.csv', 'f2992.csv', 'f2999.csv', 'f2991.csv', 'f2998.csv', 'f2990.csv', 'f2997.csv', 'f2996.csv']);
  });

  it('makes, renames (never over another file) and deletes, telling panes the folder changed', async () => {
    await writeFile(join(host.work, 'a.txt'), 'a');
    await writeFile(join(host.work, 'b.txt'), 'b');
    await host.call('files.mkdir', { connection: THIS_COMPUTER, path: local('new') });
    const over = await host.core.invoke('files.rename', { connection: THIS_COMPUTER, from: local('a.txt'), to: local('b.txt') });
    expect(over).toMatchObject({ ok: false, error: { kind: 'exists' } });
    expect(await readFile(join(host.work, 'b.txt'), 'utf8')).toBe('b');
    await host.call('files.rename', { connection: THIS_COMPUTER, from: local('a.txt'), to: local('c.txt') });
    const gone = await host.call('files.delete', { connection: THIS_COMPUTER, paths: [local('c.txt'), local('new'), local('nothing.txt')] });
    expect(gone.deleted).toEqual([local('c.txt'), local('new')]);
    expect(gone.failed.map((f) => f.path)).toEqual([local('nothing.txt')]);
    expect((await readdir(host.work)).sort()).toEqual(['b.txt']);
    expect(host.seen.filter((m) => m.event === 'files.changed').map((m) => m.payload)).toContainEqual({ connection: THIS_COMPUTER, path: host.work.slice(1) });
  });

  it('queues a transfer, reports each file and the batch in events, and records it in the history', async () => {
    await mkdir(join(host.work, 'out', 'sub'), { recursive: true });
    await writeFile(join(host.work, 'out', 'one.csv'), 'one');
    await writeFile(join(host.work, 'out', 'sub', 'two.csv'), 'two');
    await mkdir(join(host.work, 'in'));
    const request = { source: { connection: THIS_COMPUTER, paths: [local('out/one.csv'), local('out/sub')] }, target: { connection: THIS_COMPUTER, path: local('in') }, move: false, conflict: 'changed' as const };
    const preview = await host.call('transfers.preview', request);
    expect(preview.items.map((i) => [i.action, i.reason])).toEqual([['new', 'new file'], ['new', 'new file']]);
    expect(await readdir(join(host.work, 'in'))).toEqual([]);
    const { id } = await host.call('transfers.start', request);
    await untilState(id, ['done', 'failed']);
    expect(await readFile(join(host.work, 'in', 'one.csv'), 'utf8')).toBe('one');
    expect(await readFile(join(host.work, 'in', 'sub', 'two.csv'), 'utf8')).toBe('two');
    const states = host.seen.filter((m) => m.event === 'transfer.state').map((m) => m.payload.state);
    expect(states).toEqual(['queued', 'running', 'done']);
    const files = host.seen.filter((m) => m.event === 'transfer.file').map((m) => m.payload.file.state);
    expect(files).toEqual(['done', 'done']);
    const [snapshot] = (await host.call('transfers.list', {})).transfers;
    expect(snapshot).toMatchObject({ id, state: 'done', filesTotal: 2, filesDone: 2, bytesDone: 6, label: 'Copy 2 items from @computer to @computer: ' + local('in') });
    expect((await host.call('transfers.files', { id, offset: 0, limit: 10 })).total).toBe(2);
    const history = await host.workspace.history();
    expect(history.listRuns({ limit: 5 }).map((r) => [r.kind, r.status, r.files])).toEqual([['copy', 'succeeded', 2]]);
  });

  it('receives a file dropped into a browser through the engine, never over an existing one', async () => {
    const data = Buffer.alloc(300_000, 7);
    const got = await host.core.receive({ connection: THIS_COMPUTER, path: local('') }, 'dropped.bin', Readable.from([data]), data.length);
    expect(got).toEqual({ ok: true, value: { path: local('dropped.bin') } });
    expect((await readFile(join(host.work, 'dropped.bin'))).equals(data)).toBe(true);
    const again = await host.core.receive({ connection: THIS_COMPUTER, path: local('') }, 'dropped.bin', Readable.from([Buffer.from('other')]), 5);
    expect(again).toMatchObject({ ok: false, error: { kind: 'exists' } });
    const hostile = await host.core.receive({ connection: THIS_COMPUTER, path: local('') }, '../escape.bin', Readable.from([Buffer.from('x')]), 1);
    expect(hostile).toMatchObject({ ok: false, error: { kind: 'unsafeName' } });
    expect((await readFile(join(host.work, 'dropped.bin'))).equals(data)).toBe(true);
  });
});

describe('the core previewing a drop onto Salesforce', () => {
  let org: TestOrg;
  let home: string;
  let work: string;
  let workspace: Workspace;
  let core: CoreHost;

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'demo' });
    home = await mkdtemp(join(tmpdir(), 'ferry-host-sf-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-host-sf-work-'));
    const { sandbox } = org;
    const added = await runFerry(home, ['connection', 'salesforce', 'org', '--login', sandbox.url, '--client-id', sandbox.jwt.clientId, '--jwt-key', sandbox.jwt.keyFile, '--username', sandbox.context.defaultUser.username]);
    expect(added.code, added.err).toBe(0);
    workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    core = createFerryHost({ workspace, host: 'web', version: '0.1.0' });
  });
  afterAll(async () => {
    await core?.close();
    workspace?.close();
    await org?.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('shows each file\'s record match and sends nothing', async () => {
    await writeFile(join(work, 'INV-ACC-10001-2026-11-02.pdf'), 'for Northwind');
    await writeFile(join(work, `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.pdf`), 'whose?');
    await writeFile(join(work, 'INV-NOPE-2026-11-04.pdf'), 'nobody');
    const paths = ['INV-ACC-10001-2026-11-02.pdf', `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.pdf`, 'INV-NOPE-2026-11-04.pdf'].map((n) => join(work, n).slice(1));
    const answer = await core.invoke('transfers.preview', { source: { connection: THIS_COMPUTER, paths }, target: { connection: 'org', path: 'Account' }, move: false, conflict: 'changed', attachBy: 'INV-{AccountNumber}-{*}' });
    expect(answer.ok).toBe(true);
    const items = answer.ok ? (answer.value as CommandOutput<'transfers.preview'>).items : [];
    expect(items.map((i) => [i.action, i.match])).toEqual([['new', 'exact'], ['fail', 'ambiguous'], ['fail', 'none']]);
    expect(items[0]?.target).toMatch(/^Account\/\w{15,18}\/INV-ACC-10001-2026-11-02\.pdf$/);
    const listing = await core.invoke('files.list', { connection: 'org', path: 'Account/Northwind Traders', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
    expect(listing.ok && (listing.value as CommandOutput<'files.list'>).entries).toEqual([]);
  });
});

describe('the core asking the window about an SSH server seen for the first time', () => {
  const sftp = inject('servers').sftp;
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-host-key-'));
    const added = await runFerry(home, ['connection', 'add', 'partner', `sftp://${sftp.user}@${sftp.host}:${sftp.port}/`, '--password-stdin', '--no-test'], `${sftp.password}\n`);
    expect(added.code, added.err).toBe(0);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  /** A window's core whose connections ask through its prompts, answering each question with `answer`. */
  async function listWith(answer: 'trust' | 'once' | 'refuse'): Promise<{ listed: Wire<unknown>; asked: ReadonlyArray<EventMessage> }> {
    const prompts = new Prompts();
    const workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home }, prompts);
    const core = createFerryHost({ workspace, host: 'web', version: 'test', prompts });
    const asked: EventMessage[] = [];
    core.subscribe((m) => {
      asked.push(m);
      if (m.event === 'prompt') void core.invoke('prompts.answer', { id: m.payload.id, reply: { kind: 'hostKey', answer } });
    });
    try {
      const listed = await core.invoke('files.list', { connection: 'partner', path: '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
      return { listed, asked };
    } finally {
      await core.close();
      workspace.close();
    }
  }

  it('shows the fingerprint, and connects once, refuses, or trusts and remembers as answered', async () => {
    const refused = await listWith('refuse');
    expect(refused.listed).toMatchObject({ ok: false, error: { kind: 'hostKey' } });
    const prompt = refused.asked.find((m) => m.event === 'prompt');
    const question = prompt?.event === 'prompt' && prompt.payload.kind === 'hostKey' ? prompt.payload.question : undefined;
    expect(question && [question.host, question.port, question.fingerprint]).toEqual([sftp.host, sftp.port, openSshFingerprint(sftp.hostKeyLine)]);
    expect(question?.keyType).toBe(sftp.hostKeyLine.split(' ')[0]);
    expect(refused.asked.map((m) => m.event).filter((e) => e.startsWith('prompt'))).toEqual(['prompt', 'prompt.settled']);
    expect(refused.asked.find((m) => m.event === 'connection.status')).toMatchObject({ payload: { name: 'partner', state: 'failed', problem: { cause: 'hostKey' } } });

    const once = await listWith('once');
    expect(once.listed.ok).toBe(true);
    expect(existsSync(join(home, 'known_hosts'))).toBe(false);

    const trusted = await listWith('trust');
    expect(trusted.listed.ok).toBe(true);
    expect(readFileSync(join(home, 'known_hosts'), 'utf8')).toContain(sftp.hostKeyLine.split(' ').slice(0, 2).join(' '));
    const known = await listWith('refuse');
    expect(known.listed.ok).toBe(true);
    expect(known.asked.filter((m) => m.event === 'prompt')).toEqual([]);
  });
});
