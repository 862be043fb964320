// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

const question = { host: 'files.partner.example', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:5Jx0mFh1yqQ6vY1cD2mT0b3fGk0aQmKZ3n3Jw8y0s1E' };

describe('a server met for the first time', () => {
  it('shows its key to compare, and sends the answer chosen', async () => {
    const { host } = await renderApp(partnerHost());
    act(() => host.emit('prompt', { id: 'p1', kind: 'hostKey', question }));
    const dialog = await screen.findByRole('dialog', { name: 'Is this files.partner.example?' });
    expect(within(dialog).getByText(question.fingerprint)).toBeTruthy();
    expect(within(dialog).getByText('ssh-ed25519')).toBeTruthy();

    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Trust and connect' }));
    expect(host.calls.find((c) => c.command === 'prompts.answer')?.input).toEqual({ id: 'p1', reply: { kind: 'hostKey', answer: 'trust' } });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('closes when another window answered first', async () => {
    const { host } = await renderApp(partnerHost());
    act(() => host.emit('prompt', { id: 'p2', kind: 'hostKey', question }));
    await screen.findByRole('dialog', { name: 'Is this files.partner.example?' });
    act(() => host.emit('prompt.settled', { id: 'p2' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(host.calls.some((c) => c.command === 'prompts.answer')).toBe(false);
  });
});
