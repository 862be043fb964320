import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { openHost, type OpenHost } from './openHost.js';

const DRAFT = `# Orders from the partner
version: 1
name: orders   # used in history
source:
  location: ./outbox   # a folder on this machine
validate:
  name: '^ORD-(?<partner>[A-Z]+)\\.csv$'
routes:
  - name: erp
    to: ./erp/
    rename: '{capture.customer}{ext}'   # a capture validate.name does not define
`;

describe('the core behind the job editor', () => {
  let host: OpenHost;
  beforeAll(async () => {
    host = await openHost('ferry-job-files-');
  });
  afterAll(async () => {
    await host?.close();
  });
  const answer = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<Wire<CommandOutput<C>>> => (await host.core.invoke(command, input)) as Wire<CommandOutput<C>>;

  it('offers the job files of the ten example flows as templates, each renamed to a name no job has', async () => {
    const { templates } = await host.call('jobFiles.templates', {});
    expect(new Set(templates.map((t) => t.flow)).size).toBe(10);
    const { name, text } = await host.call('jobFiles.template', { name: 'partner-orders-to-erp' });
    expect(name).toBe('partner-orders-to-erp');
    expect(text).toContain('# A file is taken once its size and time stayed the same for 2 seconds.');

    await host.call('jobFiles.save', { name, text, overwrite: false });
    expect((await host.call('jobFiles.template', { name: 'partner-orders-to-erp' })).name).toBe('partner-orders-to-erp-2');
  });

  it('finds every problem of a draft at its field, line and column, and connections this workspace does not have', async () => {
    const { problems } = await host.call('jobFiles.check', { text: DRAFT });
    expect(problems.map(({ field, line, column }) => ({ field, line, column }))).toEqual([{ field: 'routes[0].rename', line: 11, column: 13 }]);
    expect(problems[0]?.message).toContain('{capture.customer} is not captured');

    const elsewhere = DRAFT.replace('./outbox', 'nowhere-sftp:/outbox').replace('{capture.customer}', '{capture.partner}');
    const missing = await host.call('jobFiles.check', { text: elsewhere });
    expect(missing.problems.map(({ field, line, column }) => ({ field, line, column }))).toEqual([{ field: 'source.location', line: 5, column: 13 }]);
    expect(missing.problems[0]?.message).toContain('no connection named "nowhere-sftp"');
  });

  it('refuses a name that would leave the jobs folder, and writes nothing', async () => {
    const fixed = DRAFT.replace('{capture.customer}', '{capture.partner}');
    const escaped = await answer('jobFiles.save', { name: '../escaped', text: fixed, overwrite: false });
    expect(escaped.ok ? undefined : escaped.error).toMatchObject({ kind: 'config' });
    expect(escaped.ok ? '' : escaped.error.message).toContain('"../escaped" cannot name a job file');
    expect(await readdir(dirname(host.workspace.paths.jobs))).not.toContain('escaped.yaml');
  });

  it('refuses a job with problems, then saves the text exactly as written, comments and order kept', async () => {
    const refused = await answer('jobFiles.save', { name: 'orders', text: DRAFT, overwrite: false });
    expect(refused.ok ? undefined : refused.error.kind).toBe('config');
    expect(refused.ok ? '' : refused.error.message).toContain('routes[0].rename');

    const fixed = DRAFT.replace('{capture.customer}', '{capture.partner}');
    const saved = await host.call('jobFiles.save', { name: 'orders', text: fixed, overwrite: false });
    expect(saved).toEqual({ name: 'orders', path: join(host.workspace.paths.jobs, 'orders.yaml'), problems: [] });
    expect(await readFile(saved.path, 'utf8')).toBe(fixed);
    expect(await host.call('jobFiles.read', { name: 'orders' })).toEqual({ name: 'orders', path: saved.path, text: fixed });
    expect((await readdir(host.workspace.paths.jobs)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('keeps another job of the same name unless asked to replace it, and renames a job it was opened as', async () => {
    const text = DRAFT.replace('{capture.customer}', '{capture.partner}').replace('name: orders', 'name: invoices');
    await host.call('jobFiles.save', { name: 'invoices', text, overwrite: false });
    const clash = await answer('jobFiles.save', { name: 'orders', text, overwrite: false });
    expect(clash.ok ? undefined : clash.error.kind).toBe('exists');
    expect(clash.ok ? '' : clash.error.message).toContain('Another job is already named "orders"');
    expect(await readFile(join(host.workspace.paths.jobs, 'orders.yaml'), 'utf8')).toContain('name: orders');

    await host.call('jobFiles.save', { name: 'invoices-2026', text, replaces: 'invoices', overwrite: false });
    const files = await readdir(host.workspace.paths.jobs);
    expect(files).toContain('invoices-2026.yaml');
    expect(files).not.toContain('invoices.yaml');
  });
});
