// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { THIS_COMPUTER, type CertificateQuestion, type ConflictQuestion } from '../../src/shared/contract/models.js';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

const conflict: ConflictQuestion = {
  source: { where: 'partner-sftp', path: 'outbox/orders.csv', name: 'orders.csv', size: 2048, modifiedAt: 1_700_000_000_000 },
  target: { where: THIS_COMPUTER, path: 'home/ops/inbox/orders.csv', name: 'orders.csv', size: 1024, modifiedAt: 1_690_000_000_000 },
};

const certificate: CertificateQuestion = {
  host: 'ftp.partner.example',
  port: 21,
  subject: 'CN=ftp.partner.example',
  issuer: 'CN=Partner Internal CA',
  validFrom: 'Jan 10 00:00:00 2025 GMT',
  validTo: 'Jan 10 00:00:00 2026 GMT',
  fingerprint: '3A:7F:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD',
  problems: ['it was issued by a CA that is not trusted', 'it expired on Jan 10 00:00:00 2026 GMT'],
};

const answers = (host: ReturnType<typeof partnerHost>): ReadonlyArray<unknown> => host.calls.filter((c) => c.command === 'prompts.answer').map((c) => c.input);

describe('a file already where it is sent', () => {
  it('shows both files and sends the answer, "for all" when ticked, from the keyboard alone', async () => {
    const { host } = await renderApp(partnerHost());
    act(() => host.emit('prompt', { id: 'c1', kind: 'conflict', question: conflict }));
    const dialog = await screen.findByRole('dialog', { name: '“orders.csv” is already there' });
    const table = within(dialog).getByRole('table');
    expect(within(table).getByRole('row', { name: /^Size/ }).textContent).toBe('Size2 KB1 KB');
    expect(within(table).getByRole('row', { name: /^File/ }).textContent).toContain('home/ops/inbox/orders.csv');
    expect(within(table).getByRole('row', { name: /^On/ }).textContent).toBe('Onpartner-sftpThis computer');

    const user = userEvent.setup();
    const forAll = within(dialog).getByRole('checkbox', { name: /every other file of this transfer/ });
    forAll.focus();
    await user.keyboard(' ');
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Rename' }));
    await user.keyboard('{Enter}');
    expect(answers(host)).toEqual([{ id: 'c1', reply: { kind: 'conflict', answer: 'rename', applyToAll: true } }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('offers resume only for a shorter target, and Escape skips this file alone', async () => {
    const { host } = await renderApp(partnerHost());
    const larger = { ...conflict, target: { ...conflict.target, size: 4096 } };
    act(() => host.emit('prompt', { id: 'c2', kind: 'conflict', question: larger }));
    const dialog = await screen.findByRole('dialog', { name: '“orders.csv” is already there' });
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Skip', 'Rename', 'Overwrite if newer', 'Overwrite']);
    await userEvent.setup().keyboard('{Escape}');
    expect(answers(host)).toEqual([{ id: 'c2', reply: { kind: 'conflict', answer: 'skip', applyToAll: false } }]);
  });

  it('asks the next question afresh: a ticked "for all" does not carry over', async () => {
    const { host } = await renderApp(partnerHost());
    act(() => {
      host.emit('prompt', { id: 'c3', kind: 'conflict', question: conflict });
      host.emit('prompt', { id: 'c4', kind: 'conflict', question: { ...conflict, target: { ...conflict.target, name: 'invoices.csv' } } });
    });
    const first = await screen.findByRole('dialog', { name: '“orders.csv” is already there' });
    const user = userEvent.setup();
    await user.click(within(first).getByRole('checkbox'));
    await user.click(within(first).getByRole('button', { name: 'Skip' }));
    const second = await screen.findByRole('dialog', { name: '“invoices.csv” is already there' });
    expect(within(second).getByRole<HTMLInputElement>('checkbox').checked).toBe(false);
  });
});

describe('an FTPS certificate nothing vouches for', () => {
  it('says why in words, shows what it is, and sends the answer', async () => {
    const { host } = await renderApp(partnerHost());
    act(() => host.emit('prompt', { id: 't1', kind: 'certificate', question: certificate }));
    const dialog = await screen.findByRole('dialog', { name: 'Trust the certificate of ftp.partner.example?' });
    expect(within(within(dialog).getByRole('list', { name: 'Why it is not trusted' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'It was issued by a CA that is not trusted.',
      'It expired on Jan 10 00:00:00 2026 GMT.',
    ]);
    expect(within(dialog).getByText(certificate.fingerprint)).toBeTruthy();
    expect(within(dialog).getByText('CN=Partner Internal CA')).toBeTruthy();
    expect(within(dialog).getByText(certificate.validTo)).toBeTruthy();
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Connect this once' }));
    expect(answers(host)).toEqual([{ id: 't1', reply: { kind: 'certificate', answer: 'once' } }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('is refused when closed with Escape', async () => {
    const { host } = await renderApp(partnerHost());
    act(() => host.emit('prompt', { id: 't2', kind: 'certificate', question: certificate }));
    await screen.findByRole('dialog', { name: 'Trust the certificate of ftp.partner.example?' });
    await userEvent.setup().keyboard('{Escape}');
    expect(answers(host)).toEqual([{ id: 't2', reply: { kind: 'certificate', answer: 'refuse' } }]);
  });
});
