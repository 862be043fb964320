// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import type { CommandInput } from '../../src/shared/contract/commands.js';
import type { NamingRoute, NamingRow, NamingTry } from '../../src/shared/contract/namingCommands.js';
import { answering, callsOf } from './answeringHost.js';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

/** The partner's invoices folder as the fake host lists it. */
const INVOICES = ['INV-ACC-10001-2026-11-02.csv', 'INV-ACC-10002-2026-11-03.csv', 'INV-ACC-1OO05-2026-11-04.csv', 'notes.txt'];

const ROUTE: NamingRoute = {
  file: 'invoices.yaml',
  job: 'invoices',
  route: 'to-accounts',
  rule: 'INV-{AccountNumber}-{*}',
  target: { connection: 'org', object: 'Account' },
  source: { connection: 'partner', path: 'invoices' },
};

/** A name as the sandbox's demo org would answer it: ACC-10001 is one Account, ACC-10002 two, others none. */
function rowOf(name: string, from: NamingRow['from']): NamingRow {
  const base = { name, from, candidates: [], moreCandidates: 0 };
  const number = /^INV-(ACC-[0-9A-Z]+)-/.exec(name)?.[1];
  if (number === undefined) return { ...base, match: 'unreadable', captured: [], reason: `${name} does not match the naming rule` };
  const captured = [{ AccountNumber: number }];
  if (number === 'ACC-10001') return { ...base, match: 'exact', captured, record: { id: '001000000000001AAA', name: 'Northwind Traders' } };
  if (number === 'ACC-10002') {
    const candidates = [
      { id: '001000000000002AAA', name: 'Contoso Manufacturing', matchedOn: { AccountNumber: number } },
      { id: '001000000000031AAA', name: 'Contoso Manufacturing de México', matchedOn: { AccountNumber: number } },
    ];
    return { ...base, match: 'ambiguous', captured, candidates, reason: `2 Account records have AccountNumber = '${number}'` };
  }
  return { ...base, match: 'none', captured, reason: `No Account has AccountNumber = '${number}'` };
}

/** A rule with an unclosed placeholder does not parse; any other is applied as the demo org would. */
function tryRule({ rule, source, names }: CommandInput<'naming.try'>): NamingTry {
  const open = rule.lastIndexOf('{');
  if (open > rule.lastIndexOf('}')) return { status: 'invalid', position: open + 1, reason: '"{" does not open or close a placeholder', message: 'invalid' };
  const rows = [...(source === undefined ? [] : INVOICES.map((n) => rowOf(n, 'source'))), ...names.map((n) => rowOf(n, 'typed'))];
  return { status: 'tried', fields: ['AccountNumber'], rows, sourceLeftOut: 0, cost: { queries: 1, recordsRead: 3, apiCalls: 2, apiUsage: { used: 120, limit: 15000 } } };
}

function namingHost(): MemoryHost {
  return answering(partnerHost(), {
    'naming.try': tryRule,
    'naming.routes': () => ({ routes: [ROUTE], unreadable: [{ file: 'broken.yaml', reason: 'no source' }] }),
    'naming.save': ({ rule }) => ({ route: { ...ROUTE, rule } }),
  });
}


async function openEditor(host: MemoryHost) {
  await renderApp(host);
  const user = userEvent.setup();
  await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Naming rules' }));
  const form = await screen.findByRole('form', { name: 'Naming rule' });
  return { user, form };
}

describe('the naming-rule editor', () => {
  it('tries a typed rule on typed names as it is typed: captured fields, the match in words, the record or the candidates, and the cost', async () => {
    const host = namingHost();
    const { user, form } = await openEditor(host);
    // The one Salesforce connection is chosen already.
    expect(within(form).getByLabelText<HTMLSelectElement>('Salesforce connection').value).toBe('org');
    await user.type(within(form).getByLabelText('Names to try'), 'INV-ACC-10002-x.pdf{Enter}INV-ACC-10001-y.pdf{Enter}readme.md');
    await user.type(within(form).getByLabelText('Rule'), 'INV-{{AccountNumber}-{{*}');
    const grid = await screen.findByRole('grid', { name: 'Names tried' });
    expect(callsOf(host, 'naming.try').at(-1)).toEqual({
      rule: 'INV-{AccountNumber}-{*}',
      target: { connection: 'org', object: 'Account' },
      names: ['INV-ACC-10002-x.pdf', 'INV-ACC-10001-y.pdf', 'readme.md'],
    });
    const rows = within(grid).getAllByRole('row');
    expect(within(rows[0] as HTMLElement).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['File name', 'AccountNumber', 'Match', 'Record']);
    expect(rows.slice(1).map((r) => within(r).getAllByRole('gridcell').map((c) => c.textContent))).toEqual([
      ['INV-ACC-10002-x.pdf (typed)', 'ACC-10002', 'Ambiguous', '2 records fit:Contoso Manufacturing 001000000000002AAAContoso Manufacturing de México 001000000000031AAA'],
      ['INV-ACC-10001-y.pdf (typed)', 'ACC-10001', 'Exact', 'Northwind Traders 001000000000001AAA'],
      ['readme.md (typed)', '—', 'Does not fit', 'readme.md does not match the naming rule'],
    ]);
    expect(within(rows[1] as HTMLElement).getByRole('list', { name: 'Records INV-ACC-10002-x.pdf fits' })).toBeDefined();
    expect(screen.getByRole('status', { name: 'Result and cost' }).textContent).toBe(
      '3 names: 1 exact, 1 ambiguous, 0 with no record, 1 not fitting the rule. Resolving them took 1 SOQL query reading 3 records (2 API calls; the org has used 120 of its 15,000 daily API calls).',
    );
  });

  it("applies the rule to a source folder's real file names, and moves through the rows from the keyboard", async () => {
    const host = namingHost();
    const { user, form } = await openEditor(host);
    await user.type(within(form).getByLabelText('Rule'), 'INV-{{AccountNumber}-{{*}');
    await user.selectOptions(within(form).getByLabelText('Source connection'), 'partner');
    await user.type(within(form).getByLabelText('Source folder'), 'invoices');
    await waitFor(() => expect(callsOf(host, 'naming.try').at(-1)).toMatchObject({ source: { connection: 'partner', path: 'invoices' }, names: [] }));
    const grid = await screen.findByRole('grid', { name: 'Names tried' });
    await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(INVOICES.length + 1));
    expect(within(grid).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('gridcell')[2]?.textContent)).toEqual(['Exact', 'Ambiguous', 'No record', 'Does not fit']);
    act(() => grid.focus());
    const focused = (): string | undefined => document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')?.firstElementChild?.textContent ?? undefined;
    expect(focused()).toBe(INVOICES[0]);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(focused()).toBe(INVOICES[2]);
    await user.keyboard('{End}');
    expect(focused()).toBe(INVOICES[3]);
    await user.keyboard('{Home}');
    expect(focused()).toBe(INVOICES[0]);
  });

  it('says where a rule that does not parse goes wrong, at the field', async () => {
    const host = namingHost();
    const { user, form } = await openEditor(host);
    const rule = within(form).getByLabelText('Rule');
    await user.type(rule, 'INV-{{AccountNumber');
    await waitFor(() => expect(rule.getAttribute('aria-invalid')).toBe('true'));
    const problem = document.getElementById(rule.getAttribute('aria-describedby')?.split(' ')[0] ?? '');
    expect(problem?.textContent).toMatch(/^At character 5: "\{" does not open or close a placeholder\./);
    expect(problem?.querySelector('mark')?.textContent).toBe('{');
    expect(screen.queryByRole('grid', { name: 'Names tried' })).toBeNull();
    await user.type(rule, '}');
    await waitFor(() => expect(rule.getAttribute('aria-invalid')).toBe('false'));
  });

  it("loads a job route's rule, object and source folder, and saves an edited rule back into it", async () => {
    const host = namingHost();
    const { user, form } = await openEditor(host);
    await waitFor(() => expect(within(form).getAllByRole('option', { name: 'invoices › to-accounts (invoices.yaml)' })).toHaveLength(1));
    expect(form.textContent).toContain('1 job file does not load and is not listed: broken.yaml.');
    const save = within(form).getByRole('button', { name: 'Save to job route' });
    expect(save).toHaveProperty('disabled', true);
    await user.selectOptions(within(form).getByLabelText('Job route'), 'invoices.yaml#to-accounts');
    const rule = within(form).getByLabelText<HTMLInputElement>('Rule');
    expect([rule.value, within(form).getByLabelText<HTMLSelectElement>('Source connection').value, within(form).getByLabelText<HTMLInputElement>('Source folder').value]).toEqual([
      'INV-{AccountNumber}-{*}',
      'partner',
      'invoices',
    ]);
    await user.clear(rule);
    await user.type(rule, 'INV-{{AccountNumber}-{{date}.csv');
    await user.click(save);
    await waitFor(() => expect(callsOf(host, 'naming.save')).toEqual([{ file: 'invoices.yaml', route: 'to-accounts', rule: 'INV-{AccountNumber}-{date}.csv' }]));
    await waitFor(() => expect(screen.getByText('Saved in invoices.yaml, route to-accounts.')).toBeDefined());
  });
});
