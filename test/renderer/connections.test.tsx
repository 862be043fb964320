// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

describe('the connections screen', () => {
  it('tests a new server before saving it and says in words what it supports', async () => {
    const { host } = await renderApp(partnerHost());
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Connections' }));
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
    expect(within(report).getByText('Connections at once').nextElementSibling?.textContent).toBe('4');
    expect(host.calls.find((c) => c.command === 'connections.add')?.input).toEqual({
      name: 'archive',
      url: 'ftpes://ops@archive.example.com/in',
      password: 's3cret',
      tlsFingerprint: 'AB:CD',
      test: true,
    });
    expect(within(screen.getByRole('list', { name: 'Saved connections' })).getByText('archive')).toBeTruthy();
  });

  it('removes a connection only once confirmed', async () => {
    const { host } = await renderApp(partnerHost());
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Connections' }));
    await user.click(screen.getByRole('button', { name: 'Test partner' }));
    expect(await screen.findByRole('region', { name: 'What partner supports' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Remove partner' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Remove partner?' })).getByRole('button', { name: 'Keep' }));
    expect(host.calls.some((c) => c.command === 'connections.remove')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Remove partner' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Remove partner?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove partner' })).toBeNull());
    expect(screen.getByText('1 connection')).toBeTruthy();
  });

  it('names the screens still to come as such', async () => {
    await renderApp(partnerHost());
    const user = userEvent.setup();
    for (const name of ['Jobs', 'Validation log', 'History']) {
      await user.click(screen.getByRole('button', { name: new RegExp(`^${name}`) }));
      expect(screen.getByRole('heading', { level: 1, name })).toBeTruthy();
      expect(screen.getByText('This screen is not built yet: nothing here is real data.')).toBeTruthy();
    }
  });
});
