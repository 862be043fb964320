// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { ConnectionProblemView, TestOutcome } from '../../src/shared/contract/connectionModels.js';
import { ok, type Wire } from '../../src/shared/contract/wire.js';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

type Answers = { readonly [C in CommandName]?: (input: CommandInput<C>) => Wire<CommandOutput<C>> };

/** The in-memory host, with the site manager's commands answered as the test says; every call is kept. */
function scripted(answers: Answers): { host: MemoryHost; asked: Array<{ command: CommandName; input: unknown }> } {
  const base = partnerHost();
  const asked: Array<{ command: CommandName; input: unknown }> = [];
  const host: MemoryHost = {
    ...base,
    invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Wire<CommandOutput<C>>> {
      asked.push({ command, input });
      const answer = answers[command];
      return answer === undefined ? base.invoke(command, input) : Promise.resolve(answer(input));
    },
  };
  return { host, asked };
}

const WRONG_PASSWORD: ConnectionProblemView = {
  cause: 'credentials',
  summary: 'The server refused the user name or password.',
  advice: 'Check both with the partner; a password may have expired or been changed.',
  detail: 'Logging in to archive.example.com:21 failed: the server replied "530 Login incorrect."',
};
const CONNECTED: TestOutcome = {
  outcome: 'connected',
  report: {
    description: 'vsftpd 3.0.5',
    features: ['MDTM'],
    security: 'explicit FTPS, TLSv1.3',
    tlsSessionReuse: 'required',
    clock: { kind: 'measured', skewMs: -7 * 60_000, file: '.ferry-clock-check-1.tmp', removed: true },
    capabilities: { rename: true, resume: true, hashes: ['md5'], keepsTimes: true, maxConcurrency: 4 },
  },
};

async function openConnections(): Promise<ReturnType<typeof userEvent.setup>> {
  const user = userEvent.setup();
  await user.click(screen.getByRole('link', { name: 'Connections' }));
  return user;
}

describe('the site manager', () => {
  it('tests new settings without saving them and explains a failure in plain words', async () => {
    const { host, asked } = scripted({ 'connections.probe': () => ok({ outcome: 'failed', problem: WRONG_PASSWORD }) });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'New connection' }));
    const form = screen.getByRole('form', { name: 'New connection' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'archive');
    await user.type(within(form).getByRole('textbox', { name: /Address/ }), 'ftpes://ops@archive.example.com/in');
    await user.type(within(form).getByLabelText('Password'), 'wrong');
    await user.click(within(form).getByRole('button', { name: 'Test' }));

    const failed = await screen.findByRole('region', { name: 'Testing archive failed' });
    expect(within(failed).getByText(WRONG_PASSWORD.summary)).toBeTruthy();
    expect(within(failed).getByText(WRONG_PASSWORD.advice)).toBeTruthy();
    expect(asked.find((c) => c.command === 'connections.probe')?.input).toEqual({ name: 'archive', url: 'ftpes://ops@archive.example.com/in', password: 'wrong' });
    expect(asked.some((c) => c.command === 'connections.add')).toBe(false);

    // "Test and save" of the same failing settings saves nothing either.
    await user.click(within(form).getByRole('button', { name: 'Test and save' }));
    await waitFor(() => expect(asked.filter((c) => c.command === 'connections.probe')).toHaveLength(2));
    expect(asked.some((c) => c.command === 'connections.add')).toBe(false);
  });

  it('saves a server that answered and says in words what it supports', async () => {
    const { host, asked } = scripted({ 'connections.probe': () => ok(CONNECTED) });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'New connection' }));
    const form = screen.getByRole('form', { name: 'New connection' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'archive');
    await user.type(within(form).getByRole('textbox', { name: /Address/ }), 'ftpes://ops@archive.example.com/in');
    await user.type(within(form).getByLabelText('Password'), 's3cret');
    await user.type(within(form).getByRole('textbox', { name: /Certificate fingerprint/ }), 'AB:CD');
    await user.click(within(form).getByRole('button', { name: 'Test and save' }));

    const report = await screen.findByRole('region', { name: 'archive answered and was saved' });
    expect(within(report).getByText('Resumes a transfer that stopped').nextElementSibling?.textContent).toBe('Yes');
    expect(within(report).getByText('Checks files by hash').nextElementSibling?.textContent).toBe('MD5');
    expect(within(report).getByText('Encrypted file transfers').nextElementSibling?.textContent).toBe('Yes, checked just now');
    expect(within(report).getByText('TLS session reuse').nextElementSibling?.textContent).toBe('The server requires TLS session reuse on data connections; Ferry reuses the sign-in’s session');
    expect(within(report).getByText('Server clock').nextElementSibling?.textContent).toBe('7 minutes behind this computer’s');
    expect(asked.find((c) => c.command === 'connections.add')?.input).toEqual({
      name: 'archive',
      url: 'ftpes://ops@archive.example.com/in',
      password: 's3cret',
      tlsFingerprint: 'AB:CD',
      test: false,
    });
    expect(within(screen.getByRole('list', { name: 'Saved connections' })).getByText('archive')).toBeTruthy();
  });

  it('edits a saved connection: fields loaded without the password, an empty password keeps the stored one', async () => {
    const { host, asked } = scripted({
      'connections.get': ({ name }) => ok({ name, url: 'sftp://ops@files.partner.example:22/outbox', signIn: 'password', secretStored: true, sdrive: false }),
      'connections.edit': (input) => ok({ connection: { name: input.name, kind: 'sftp', location: input.url, sdrive: false } }),
    });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'Edit partner' }));
    const form = await screen.findByRole('form', { name: 'Edit partner' });
    const address = within(form).getByRole('textbox', { name: /Address/ });
    await waitFor(() => expect((address as HTMLInputElement).value).toBe('sftp://ops@files.partner.example:22/outbox'));
    expect(within(form).getByRole<HTMLInputElement>('textbox', { name: 'Name' }).readOnly).toBe(true);
    const password = within(form).getByLabelText<HTMLInputElement>(/Password/);
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('A password is stored: leave empty to keep it');
    await user.clear(address);
    await user.type(address, 'sftp://ops@files.partner.example:22/inbox');
    await user.click(within(form).getByRole('button', { name: 'Save without testing' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit partner' })).toBeNull());
    expect(asked.find((c) => c.command === 'connections.edit')?.input).toEqual({ name: 'partner', url: 'sftp://ops@files.partner.example:22/inbox', test: false });
  });

  it('shows why a saved connection failed its test', async () => {
    const { host } = scripted({ 'connections.test': () => ok({ outcome: 'failed', problem: { ...WRONG_PASSWORD, cause: 'refused', summary: 'The server refused the connection.', advice: 'Nothing listens on that port.' } }) });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'Test partner' }));
    const failed = await screen.findByRole('region', { name: 'Testing partner failed' });
    expect(within(failed).getByText('The server refused the connection.')).toBeTruthy();
    expect(within(failed).getByText(WRONG_PASSWORD.detail)).toBeTruthy();
  });

  it('imports the ticked sites of a chosen file after showing what each becomes and leaves behind', async () => {
    const text = '<FileZilla3><Servers/></FileZilla3>';
    const { host, asked } = scripted({
      'connections.import.preview': () =>
        ok({
          format: 'filezilla',
          sites: [
            { id: '0', source: 'Partners/Northwind', name: 'partner-2', url: 'sftp://ops@sftp.northwind.example:22/', imported: ['server sftp.northwind.example:22', 'password (into the secret store)'], notImported: [], clash: 'A connection named "partner" exists already: this one is saved as "partner-2"' },
            { id: '1', source: 'Reports bucket', name: 'Reports-bucket', imported: [], notImported: ['the site: Ferry does not connect to Amazon S3'] },
          ],
        }),
      'connections.import.apply': () => ok({ saved: [{ source: 'Partners/Northwind', name: 'partner-2' }] }),
    });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'Import sites' }));
    const panel = screen.getByRole('region', { name: 'Import sites' });
    await user.upload(within(panel).getByLabelText('Choose a site file…'), new File([text], 'sitemanager.xml', { type: 'text/xml' }));

    const sites = await within(panel).findByRole('list', { name: 'Sites in the file' });
    expect(within(sites).getByText('A connection named "partner" exists already: this one is saved as "partner-2"')).toBeTruthy();
    expect(within(sites).getByText('Not imported: the site: Ferry does not connect to Amazon S3')).toBeTruthy();
    const [northwind, bucket] = within(sites).getAllByRole<HTMLInputElement>('checkbox');
    expect([northwind?.checked, bucket?.checked, bucket?.disabled]).toEqual([true, false, true]);
    expect(asked.find((c) => c.command === 'connections.import.preview')?.input).toEqual({ fileName: 'sitemanager.xml', text });

    await user.click(within(panel).getByRole('button', { name: 'Import 1 site' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Import sites' })).toBeNull());
    expect(asked.find((c) => c.command === 'connections.import.apply')?.input).toEqual({ fileName: 'sitemanager.xml', text, sites: ['0'] });
    expect(screen.getByRole('status').textContent).toBe('Imported 1 connection from sitemanager.xml');
  });

  it('says why a file cannot be imported', async () => {
    const { host } = scripted({ 'connections.import.preview': () => ({ ok: false, error: { kind: 'config', message: 'sitemanager.xml, line 4: not well-formed XML', retryable: false } }) });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'Import sites' }));
    await user.upload(screen.getByLabelText('Choose a site file…'), new File(['<x>'], 'sitemanager.xml'));
    expect((await screen.findByRole('alert')).textContent).toBe('sitemanager.xml, line 4: not well-formed XML');
  });

  it('signs in to the local sandbox in the browser and shows when the host has saved the org', async () => {
    const { host, asked } = scripted({ 'connections.salesforce.signIn': () => ok({ url: 'http://127.0.0.1:4999/services/oauth2/authorize?code_challenge=x', opened: false }) });
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'Sign in to Salesforce' }));
    const form = screen.getByRole('form', { name: 'Sign in to Salesforce' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'demo-org');
    await user.click(within(form).getByRole('radio', { name: 'Use the local sandbox (the demo org)' }));
    await user.click(within(form).getByRole('radio', { name: 'S-Drive' }));
    await user.click(within(form).getByRole('button', { name: 'Sign in in the browser' }));

    const link = await screen.findByRole('link', { name: 'Open the Salesforce sign-in page' });
    expect(link.getAttribute('href')).toBe('http://127.0.0.1:4999/services/oauth2/authorize?code_challenge=x');
    expect(asked.find((c) => c.command === 'connections.salesforce.signIn')?.input).toEqual({ name: 'demo-org', login: 'localSandbox', sdrive: true });
    act(() => host.emit('connection.status', { name: 'demo-org', state: 'connected' }));
    expect(await screen.findByText('Signed in: demo-org is saved and answers.')).toBeTruthy();
  });

  it('shows a connection the host could not open in the status bar, and leads to it', async () => {
    const { host } = scripted({});
    await renderApp(host);
    const user = userEvent.setup();
    act(() => host.emit('connection.status', { name: 'partner', state: 'failed', problem: WRONG_PASSWORD }));
    const status = screen.getByRole('contentinfo', { name: 'Status' });
    await user.click(within(status).getByRole('button', { name: 'partner: The server refused the user name or password.' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Connections' })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Saved connections' })).getByText(WRONG_PASSWORD.summary)).toBeTruthy();

    act(() => host.emit('connection.status', { name: 'partner', state: 'connected' }));
    expect(within(status).queryByRole('button', { name: /partner:/ })).toBeNull();
  });

  it('removes a connection only once confirmed', async () => {
    const { host, asked } = scripted({});
    await renderApp(host);
    const user = await openConnections();
    await user.click(screen.getByRole('button', { name: 'Remove partner' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Remove partner?' })).getByRole('button', { name: 'Keep' }));
    expect(asked.some((c) => c.command === 'connections.remove')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Remove partner' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Remove partner?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove partner' })).toBeNull());
    expect(screen.getByText('1 connection')).toBeTruthy();
  });
});
