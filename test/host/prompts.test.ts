import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import { Prompts, type PromptsOptions } from '../../src/host/Prompts.js';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import { EVENTS, type EventMessage, type EventPayload } from '../../src/shared/contract/events.js';
import { THIS_COMPUTER, type PromptReply, type TransferRequestInput } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { runFerry } from '../helpers/runFerry.js';

const ftps = inject('servers').ftp['vsftpd-explicit'];

/** The core's questions to the person at the window, asked and answered through the contract. */
describe('the questions the core puts to the window', () => {
  let home: string;
  let work: string;
  let workspace: Workspace;
  let core: CoreHost;
  let seen: EventMessage[];
  /** What the person answers to each question, by kind; absent: they never answer. */
  let replies: Partial<Record<EventPayload<'prompt'>['kind'], PromptReply>>;

  const open = (options: PromptsOptions = {}): void => {
    const prompts = new Prompts(options);
    workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home }, prompts);
    core = createFerryHost({ workspace, host: 'web', version: 'test', prompts });
    core.subscribe((m) => {
      seen.push(m);
      const reply = m.event === 'prompt' ? replies[m.payload.kind] : undefined;
      if (m.event === 'prompt' && reply !== undefined) void invoke('prompts.answer', { id: m.payload.id, reply });
    });
  };
  const invoke = <C extends CommandName>(command: C, input: CommandInput<C>): Promise<Wire<CommandOutput<C>>> => core.invoke(command, input) as Promise<Wire<CommandOutput<C>>>;
  const prompts = (): ReadonlyArray<EventPayload<'prompt'>> => seen.flatMap((m) => (m.event === 'prompt' ? [m.payload] : []));

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-prompts-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-prompts-work-'));
    seen = [];
    replies = {};
  });
  afterEach(async () => {
    await core.close();
    workspace.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  describe('a file whose target exists', () => {
    const local = (p: string): string => join(work, p).slice(1);
    const request = (): TransferRequestInput => ({
      source: { connection: THIS_COMPUTER, paths: [local('out/orders.csv'), local('out/fresh.csv')] },
      target: { connection: THIS_COMPUTER, path: local('in') },
      move: false,
      conflict: 'ask',
    });
    const finished = async (id: string): Promise<EventPayload<'transfer.state'>> => {
      for (;;) {
        const done = seen.find((m) => m.event === 'transfer.state' && m.payload.id === id && ['done', 'failed', 'cancelled'].includes(m.payload.state));
        if (done?.event === 'transfer.state') return done.payload;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const files = async (id: string) => {
      const listed = await invoke('transfers.files', { id, offset: 0, limit: 10 });
      return listed.ok ? listed.value.files : [];
    };

    beforeEach(async () => {
      await mkdir(join(work, 'out'));
      await mkdir(join(work, 'in'));
      await writeFile(join(work, 'out/orders.csv'), 'order,qty\n1,2\n');
      await writeFile(join(work, 'out/fresh.csv'), 'fresh\n');
      await writeFile(join(work, 'in/orders.csv'), 'old\n');
    });

    it('is asked about with both files, on the contract, and a rename keeps both', async () => {
      open();
      replies.conflict = { kind: 'conflict', answer: 'rename', applyToAll: false };
      const preview = await invoke('transfers.preview', request());
      expect(preview.ok && preview.value.items.map((i) => [i.source.split('/').pop(), i.action, i.reason])).toEqual([
        ['orders.csv', 'ask', 'the target exists: you will be asked what to do'],
        ['fresh.csv', 'new', 'new file'],
      ]);
      expect(prompts()).toEqual([]);

      const started = await invoke('transfers.start', request());
      const id = started.ok ? started.value.id : '';
      expect((await finished(id)).state).toBe('done');
      const asked = prompts();
      expect(asked).toHaveLength(1);
      expect(EVENTS.prompt.parse(asked[0])).toEqual(asked[0]);
      expect(asked[0]).toMatchObject({
        kind: 'conflict',
        question: {
          source: { where: THIS_COMPUTER, name: 'orders.csv', size: 14, path: local('out/orders.csv') },
          target: { where: THIS_COMPUTER, name: 'orders.csv', size: 4, path: local('in/orders.csv') },
        },
      });
      expect(seen.some((m) => m.event === 'prompt.settled' && m.payload.id === asked[0]?.id)).toBe(true);
      expect((await readdir(join(work, 'in'))).sort()).toEqual(['fresh.csv', 'orders (1).csv', 'orders.csv']);
      expect(await readFile(join(work, 'in/orders.csv'), 'utf8')).toBe('old\n');
      expect(await readFile(join(work, 'in/orders (1).csv'), 'utf8')).toBe('order,qty\n1,2\n');
    });

    it('refuses an answer of another kind of question, and leaves the question open', async () => {
      open();
      const started = await invoke('transfers.start', request());
      const id = started.ok ? started.value.id : '';
      while (prompts().length === 0) await new Promise((r) => setTimeout(r, 10));
      const question = prompts()[0];
      const listed = await invoke('prompts.list', {});
      expect(listed.ok && listed.value.prompts).toEqual([question]);
      const wrong = await invoke('prompts.answer', { id: question?.id ?? '', reply: { kind: 'hostKey', answer: 'trust' } });
      expect(wrong).toMatchObject({ ok: false, error: { kind: 'validation', message: 'That question is about a conflict, not a hostKey' } });
      const offContract = await core.invoke('prompts.answer', { id: question?.id ?? '', reply: { kind: 'conflict', answer: 'clobber', applyToAll: false } });
      expect(offContract).toMatchObject({ ok: false, error: { kind: 'badRequest' } });
      const right = await invoke('prompts.answer', { id: question?.id ?? '', reply: { kind: 'conflict', answer: 'overwrite', applyToAll: false } });
      expect(right.ok).toBe(true);
      expect((await finished(id)).state).toBe('done');
      expect(await readFile(join(work, 'in/orders.csv'), 'utf8')).toBe('order,qty\n1,2\n');
    });

    it('skips the file with the reason when nobody answers, and never replaces it', async () => {
      open({ unansweredAfterMs: 20 });
      const started = await invoke('transfers.start', request());
      const id = started.ok ? started.value.id : '';
      expect((await finished(id)).state).toBe('done');
      expect((await files(id)).map((f) => [f.source.split('/').pop(), f.state, f.reason])).toEqual(
        expect.arrayContaining([['orders.csv', 'skipped', 'the target exists and nobody answered whether to replace it']]),
      );
      expect(await readFile(join(work, 'in/orders.csv'), 'utf8')).toBe('old\n');
      expect(await readFile(join(work, 'in/fresh.csv'), 'utf8')).toBe('fresh\n');
      expect(seen.filter((m) => m.event === 'prompt.settled')).toHaveLength(1);
    });

    it('withdraws the question when the batch is cancelled', async () => {
      open();
      const started = await invoke('transfers.start', request());
      const id = started.ok ? started.value.id : '';
      while (prompts().length === 0) await new Promise((r) => setTimeout(r, 10));
      await invoke('transfers.cancel', { id });
      expect((await finished(id)).state).toBe('cancelled');
      expect(seen.some((m) => m.event === 'prompt.settled' && m.payload.id === prompts()[0]?.id)).toBe(true);
      expect(await readFile(join(work, 'in/orders.csv'), 'utf8')).toBe('old\n');
    });
  });

  describe('an FTPS server whose certificate nothing vouches for', () => {
    const list = () => invoke('files.list', { connection: 'partner-ftps', path: '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
    const saved = async (): Promise<string> => readFile(join(home, 'connections.json'), 'utf8');

    beforeEach(async () => {
      // Saved untested, as a colleague's settings would be: nothing on this machine vouches for the certificate.
      const added = await runFerry(home, ['connection', 'add', 'partner-ftps', `ftpes://${ftps.user}@${ftps.host}:${ftps.port}/`, '--password-stdin', '--no-test'], `${ftps.password}\n`);
      expect(added.code, added.err).toBe(0);
    });

    it('is shown with its subject, issuer, dates, fingerprint and why, and "once" connects without remembering it', async () => {
      open();
      replies.certificate = { kind: 'certificate', answer: 'once' };
      expect((await list()).ok).toBe(true);
      const asked = prompts();
      expect(asked).toHaveLength(1);
      expect(EVENTS.prompt.parse(asked[0])).toEqual(asked[0]);
      expect(asked[0]).toMatchObject({
        kind: 'certificate',
        question: { host: ftps.host, port: ftps.port, fingerprint: ftps.certFingerprint256, subject: 'CN=127.0.0.1', issuer: 'CN=127.0.0.1', problems: ['it is self-signed'] },
      });
      const question = asked[0]?.kind === 'certificate' ? asked[0].question : undefined;
      expect(Date.parse(question?.validTo ?? '')).toBeGreaterThan(Date.parse(question?.validFrom ?? ''));
      // Data connections present the same certificate: a second listing asks nothing more.
      expect((await list()).ok).toBe(true);
      expect(prompts()).toHaveLength(1);
      expect(await saved()).not.toContain('tlsFingerprint');
    });

    it('"trust" remembers the fingerprint in the connection, as --tls-fingerprint does; later windows ask nothing', async () => {
      open();
      replies.certificate = { kind: 'certificate', answer: 'trust' };
      expect((await list()).ok).toBe(true);
      const connection = (JSON.parse(await saved()) as { connections: ReadonlyArray<{ name: string; tlsFingerprint?: string }> }).connections.find((c) => c.name === 'partner-ftps');
      expect(connection?.tlsFingerprint).toBe(ftps.certFingerprint256);
      await core.close();
      workspace.close();
      seen = [];
      replies = {};
      open();
      expect((await list()).ok).toBe(true);
      expect(prompts()).toEqual([]);
    });

    it('"cancel" does not connect, and nobody answering is a refusal too', async () => {
      open();
      replies.certificate = { kind: 'certificate', answer: 'refuse' };
      const refused = await list();
      expect(refused).toMatchObject({ ok: false, error: { kind: 'certificate' } });
      expect(refused.ok ? '' : refused.error.message).toContain(ftps.certFingerprint256);
      await core.close();
      workspace.close();
      replies = {};
      open({ unansweredAfterMs: 20 });
      expect(await list()).toMatchObject({ ok: false, error: { kind: 'certificate' } });
      expect(await saved()).not.toContain('tlsFingerprint');
    });

    it('refuses a certificate that changed since it was trusted, naming both fingerprints, without asking', async () => {
      const before = 'AB:'.repeat(31) + 'AB';
      const pinned = await runFerry(
        home,
        ['connection', 'add', 'pinned-ftps', `ftpes://${ftps.user}@${ftps.host}:${ftps.port}/`, '--password-stdin', '--no-test', '--tls-fingerprint', before],
        `${ftps.password}\n`,
      );
      expect(pinned.code, pinned.err).toBe(0);
      open();
      replies.certificate = { kind: 'certificate', answer: 'trust' };
      const refused = await invoke('files.list', { connection: 'pinned-ftps', path: '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
      expect(refused).toMatchObject({ ok: false, error: { kind: 'certificate' } });
      const message = refused.ok ? '' : refused.error.message;
      expect(message).toContain(before);
      expect(message).toContain(ftps.certFingerprint256);
      expect(prompts()).toEqual([]);
    });

    it('leaves the command line as it was: refused, with the fingerprint to pin', async () => {
      open();
      const ls = await runFerry(home, ['ls', 'partner-ftps:']);
      expect(ls.code).not.toBe(0);
      expect(ls.err).toContain(`--tls-fingerprint ${ftps.certFingerprint256}`);
      expect(prompts()).toEqual([]);
    });
  });
});
