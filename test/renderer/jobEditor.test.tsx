// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import { checkJobDraft } from '../../src/jobs/definition/checkJobDraft.js';
import { jobJsonSchema } from '../../src/jobs/definition/jobSchema.js';
import type { CommandInput, CommandName } from '../../src/shared/contract/commands.js';
import { ok } from '../../src/shared/contract/wire.js';
import { renderApp } from './renderApp.js';

afterEach(() => {
  cleanup();
});

const JOB = `# Orders from the partner, every weekday.
version: 1
name: orders   # used in history
source:
  location: partner:/outbox   # their SFTP server
validate:
  name: '^ORD-(?<partner>[A-Z]+)\\.csv$'
routes:
  - name: erp
    to: ./erp/   # the ERP's folder
# end of the job
`;

const TEMPLATE = `version: 1
name: partner-orders-to-erp
# the partner's server
source:
  location: partner:/in
routes:
  - name: review
    to: ./review/
`;

/** The in-memory host, answering the editor's commands with the core's own checks and schema, and keeping what is saved. */
function editorHost(): { host: MemoryHost; saved: Array<CommandInput<'jobFiles.save'>> } {
  const host = memoryHost();
  const saved: Array<CommandInput<'jobFiles.save'>> = [];
  const invoke = host.invoke.bind(host);
  const answers: { [C in CommandName]?: (input: CommandInput<C>) => unknown } = {
    'jobFiles.schema': () => ({ schema: jobJsonSchema() }),
    'jobFiles.read': ({ name }) => ({ name, path: `/ferry/jobs/${name}.yaml`, text: JOB }),
    'jobFiles.templates': () => ({ templates: [{ name: 'partner-orders-to-erp', flow: '01-partner-orders-to-erp', description: 'Orders to the ERP' }, { name: 'asset-orchestration', flow: '03-asset-orchestration', description: 'Photos' }] }),
    'jobFiles.template': ({ name }) => ({ name, text: TEMPLATE }),
    'jobFiles.check': async ({ text }) => ({ problems: [...(await checkJobDraft(text, '/ferry/jobs/draft.yaml', (c) => Promise.resolve(c === 'partner'))).problems] }),
    'jobFiles.save': (input) => {
      saved.push(input);
      return { name: input.name, path: `/ferry/jobs/${input.name}.yaml`, problems: [] };
    },
  };
  host.invoke = async (command, input) => {
    const answer = answers[command] as ((input: unknown) => unknown) | undefined;
    if (answer === undefined) return invoke(command, input);
    return ok(await answer(input)) as never;
  };
  return { host, saved };
}

async function openEditor(target: { kind: 'job' | 'template'; name: string } | null = { kind: 'job', name: 'orders' }) {
  const { host, saved } = editorHost();
  const app = await renderApp(host);
  if (target === null) app.stores.ui.getState().go('jobEditor');
  else app.stores.ui.getState().editJob(target);
  const user = userEvent.setup();
  if (target !== null) await screen.findByRole('form', { name: 'Job settings' });
  return { ...app, user, saved };
}

const yaml = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Job file (YAML)' });
const tab = (name: string) => screen.getByRole('tab', { name: new RegExp(`^${name}`) });

describe('the job editor', () => {
  it('writes a form change into the YAML as a small edit that keeps the comments', async () => {
    const { user } = await openEditor();
    await user.click(tab('Source'));
    const location = await screen.findByRole('textbox', { name: 'Location' });
    expect(location).toHaveProperty('value', 'partner:/outbox');
    await user.clear(location);
    await user.type(location, 'partner:/orders');
    expect(yaml().value).toBe(JOB.replace('partner:/outbox', 'partner:/orders'));
  });

  it('shows in the form what is typed in the YAML, once it parses', async () => {
    const { user } = await openEditor();
    await user.click(tab('Routes'));
    const route = screen.getByRole('group', { name: 'Route 1: erp' });
    fireEvent.change(yaml(), { target: { value: JOB.replace('name: erp', 'name: warehouse').replace('./erp/', './stock/') } });
    const renamed = await screen.findByRole('group', { name: 'Route 1: warehouse' });
    expect(within(renamed).getByRole('textbox', { name: 'To' })).toHaveProperty('value', './stock/');
    expect(route.isConnected).toBe(true);

    fireEvent.change(yaml(), { target: { value: 'name: [unclosed' } });
    expect(await screen.findByText(/The form follows the YAML once it reads again/)).toBeDefined();
    expect(screen.getByRole('tabpanel').querySelector('fieldset')?.disabled).toBe(true);
  });

  it('shows a problem at its field and at its line while the user types', async () => {
    const { user } = await openEditor();
    await user.click(tab('Routes'));
    const route = screen.getByRole('group', { name: 'Route 1: erp' });
    const rename = within(route).getByRole('textbox', { name: 'Rename' });
    await user.type(rename, '{{capture.customer}{{ext}');

    await waitFor(() => expect(rename.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(rename.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '');
    expect(message?.textContent).toContain('{capture.customer} is not captured: validate.name captures partner');
    const problems = screen.getByRole('list', { name: 'Problems' });
    expect(within(problems).getByRole('button').textContent).toMatch(/^Line 11, column \d+ — routes\[0\]\.rename: /);
    expect(tab('Routes').textContent).toContain('1');

    await user.clear(rename);
    await user.type(rename, '{{capture.partner}{{ext}');
    await waitFor(() => expect(rename.getAttribute('aria-invalid')).toBeNull());
  });

  it('names a connection the workspace does not have at its field', async () => {
    const { user } = await openEditor();
    await user.click(tab('Source'));
    const location = screen.getByRole('textbox', { name: 'Location' });
    await user.clear(location);
    await user.type(location, 'nowhere:/out');
    await waitFor(() => expect(location.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(location.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '');
    expect(message?.textContent).toContain('there is no connection named "nowhere"');
  });

  it('saves with Ctrl+S the text with its comments, and keeps an unsaved draft when the user looks elsewhere', async () => {
    const { user, saved, stores } = await openEditor();
    await user.click(tab('Schedule'));
    const cron = screen.getByRole('textbox', { name: 'Cron' });
    await user.type(cron, '0 7 * * 1-5');
    expect(screen.getByText(/^Unsaved changes/)).toBeDefined();

    stores.ui.getState().go('browse');
    stores.ui.getState().editJob({ kind: 'job', name: 'orders' });
    await waitFor(() => expect(yaml().value).toContain('cron: 0 7 * * 1-5'));

    await user.click(yaml());
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toMatchObject({ name: 'orders', replaces: 'orders', overwrite: false });
    const text = saved[0]?.text ?? '';
    for (const comment of ['# Orders from the partner, every weekday.', '# used in history', '# their SFTP server', "# the ERP's folder", '# end of the job']) expect(text).toContain(comment);
    expect(text).toBe(`${JOB.replace('# end of the job\n', '')}schedule:\n  cron: 0 7 * * 1-5\n# end of the job\n`);
    expect(await screen.findByText(/^Saved in \/ferry\/jobs\/orders.yaml/)).toBeDefined();
  });

  it('starts a new job from an example flow and saves it under its own name', async () => {
    const { user, saved, stores } = await openEditor(null);
    const picker = await screen.findByRole('form', { name: 'New job from an example flow' });
    await user.click(await within(picker).findByRole('radio', { name: /partner-orders-to-erp/ }));
    await user.click(within(picker).getByRole('button', { name: 'Start from this flow' }));
    await screen.findByRole('form', { name: 'Job settings' });
    expect(yaml().value).toBe(TEMPLATE);

    const name = screen.getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'acme-orders');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ name: 'acme-orders', text: TEMPLATE.replace('partner-orders-to-erp', 'acme-orders'), overwrite: false });
    await waitFor(() => expect(stores.ui.getState().editing).toEqual({ kind: 'job', name: 'acme-orders' }));
  });
});
