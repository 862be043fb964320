// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import type { CommandInput, CommandOutput } from '../../src/shared/contract/commands.js';
import type { ProfileDraft } from '../../src/shared/contract/mappingCommands.js';
import { fail } from '../../src/shared/contract/wire.js';
import { answering, callsOf } from './answeringHost.js';
import { renderApp } from './renderApp.js';

afterEach(() => {
  cleanup();
});

const PROFILE: ProfileDraft = {
  partner: 'Nordwind Handel GmbH',
  inbound: {
    input: { type: 'csv', delimiter: ';' },
    mapping: {
      fields: [
        { to: 'order_id', from: 'Bestellnr', transforms: ['trim'], required: true },
        { to: 'order_date', from: 'Bestelldatum', transforms: [{ date: { from: 'dd.MM.yyyy', to: 'yyyy-MM-dd' } }] },
        { to: 'sku', from: 'Artikel', transforms: ['trim', 'upper'] },
      ],
    },
    output: { type: 'csv' },
  },
};

const SAMPLE = [
  { Bestellnr: 'nw-1', Bestelldatum: '03.03.2026', Artikel: 'abc-1' },
  { Bestellnr: 'nw-2', Bestelldatum: '31.02.2026', Artikel: 'abc-2' },
];

/**
 * A stand-in for the core's preview, enough to see the window follow the draft: each field copies its
 * column, `upper` and `lower` change case, and the second row's date does not exist.
 */
function fakePreview({ profile, direction }: CommandInput<'mapping.preview'>): CommandOutput<'mapping.preview'> {
  const fields = profile[direction]?.mapping?.fields ?? [];
  const blank = fields.findIndex((f) => f.to === '');
  if (blank >= 0) return { sample: 'the pasted sample', partial: false, profileProblems: [{ path: [direction, 'mapping', 'fields', blank, 'to'], message: 'Too small: expected string to have >=1 characters' }], sampleProblems: [], before: [], after: [], rows: [] };
  const rows = SAMPLE.map((before, i) => {
    const dateField = fields.find((f) => f.from === 'Bestelldatum');
    if (i === 1 && dateField !== undefined) {
      return { rowNumber: 2, before, problem: { field: dateField.to, column: 'Bestelldatum', message: `Row 2, field "${dateField.to}": "31.02.2026" is not a date in the format "dd.MM.yyyy"` } };
    }
    const after = Object.fromEntries(
      fields.map((f) => {
        const value = before[(f.from ?? '') as keyof typeof before] ?? '';
        const steps = f.transforms ?? [];
        return [f.to, steps.includes('upper') ? value.toUpperCase() : steps.includes('lower') ? value.toLowerCase() : value];
      }),
    );
    return { rowNumber: i + 1, before, after };
  });
  return { sample: 'the pasted sample', partial: false, profileProblems: [], sampleProblems: [], before: Object.keys(SAMPLE[0] ?? {}), after: fields.map((f) => f.to), rows };
}

function mappingHost(): MemoryHost {
  return answering(memoryHost(), {
    'mapping.profiles': () => ({
      folder: '/home/ops/.config/Ferry/jobs/profiles',
      profiles: [
        { name: 'broken.yaml', directions: [], problem: 'Partner profile broken.yaml is not valid: inbound.output: Invalid input' },
        { name: 'nordwind.yaml', partner: 'Nordwind Handel GmbH', directions: ['inbound'] },
      ],
    }),
    'mapping.read': ({ name }) =>
      name === 'nordwind.yaml'
        ? { name, file: `/profiles/${name}`, yaml: 'partner: Nordwind Handel GmbH\n', profile: PROFILE }
        : { name, file: `/profiles/${name}`, yaml: 'partner: Broken\ninbound:\n  input: { type: csv }\n', problem: 'Partner profile /profiles/broken.yaml is not valid: inbound.output: Invalid input' },
    'mapping.preview': fakePreview,
    'mapping.save': ({ name }) => ({ name, file: `/profiles/${name}`, yaml: 'partner: Nordwind Handel GmbH\n' }),
  });
}


async function openNordwind(host: MemoryHost) {
  await renderApp(host);
  const user = userEvent.setup();
  await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Partner formats' }));
  const profiles = await screen.findByRole('navigation', { name: 'Partner profiles' });
  await user.click(await within(profiles).findByRole('button', { name: /^Nordwind Handel GmbH/ }));
  const form = await screen.findByRole('form', { name: 'Mapping of Nordwind Handel GmbH' });
  await user.selectOptions(screen.getByLabelText('Take it from'), 'Text I paste');
  await user.type(screen.getByLabelText('Sample text'), 'Bestellnr;Bestelldatum;Artikel');
  const after = await screen.findByRole('table', { name: 'Sample after conversion' });
  return { user, form, after };
}

describe('the partner formats screen', () => {
  it('lists the profiles, and shows why a broken one cannot be edited', async () => {
    const host = mappingHost();
    await renderApp(host);
    const user = userEvent.setup();
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Partner formats' }));
    const profiles = await screen.findByRole('navigation', { name: 'Partner profiles' });
    expect(within(profiles).getAllByRole('button').map((b) => b.textContent)).toEqual(['broken.yamlCannot be read: open it to see why', 'Nordwind Handel GmbHnordwind.yaml · inbound']);
    await user.click(within(profiles).getByRole('button', { name: /^broken\.yaml/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('Partner profile /profiles/broken.yaml is not valid: inbound.output: Invalid input');
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('previews again as a mapping is edited, with the edited draft', async () => {
    const host = mappingHost();
    const { user, form, after } = await openNordwind(host);
    await waitFor(() => expect(within(after).getAllByRole('row')[1]?.textContent).toContain('ABC-1'));

    const transforms = within(form).getByLabelText('Transforms, row 3');
    expect((transforms as HTMLInputElement).value).toBe('trim, upper');
    await user.clear(transforms);
    await user.type(transforms, 'trim, lower');
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Sample after conversion' })).getAllByRole('row')[1]?.textContent).toContain('abc-1'));
    expect(callsOf(host, 'mapping.preview').at(-1)?.profile.inbound?.mapping?.fields[2]?.transforms).toEqual(['trim', 'lower']);
  });

  it('shows a row error at its cell, before and after conversion', async () => {
    const host = mappingHost();
    const { after } = await openNordwind(host);
    const message = 'Row 2, field "order_date": "31.02.2026" is not a date in the format "dd.MM.yyyy"';
    await waitFor(() => expect(within(after).getAllByRole('row')).toHaveLength(3));
    const headers = within(after).getAllByRole('columnheader').map((h) => h.textContent);
    const badRow = within(after).getAllByRole('row')[2];
    const cells = within(badRow as HTMLElement).getAllByRole('cell');
    expect(cells[headers.indexOf('order_date') - 1]?.textContent).toBe(message);
    expect(cells[headers.indexOf('order_date') - 1]?.className).toMatch(/badCell/);
    expect(cells.filter((c) => /badCell/.test(c.className))).toHaveLength(1);

    const sample = screen.getByRole('table', { name: 'Sample before conversion' });
    const sampleHeaders = within(sample).getAllByRole('columnheader').map((h) => h.textContent);
    const sampleCells = within(within(sample).getAllByRole('row')[2] as HTMLElement).getAllByRole('cell');
    const marked = sampleCells[sampleHeaders.indexOf('Bestelldatum') - 1];
    expect(marked?.className).toMatch(/badCell/);
    expect(marked?.textContent).toBe(`31.02.2026 (this value: ${message})`);
    expect(screen.getByText(/^2 rows of the pasted sample/).textContent).toBe('2 rows of the pasted sample: 1 row has a problem, marked where they are.');
  });

  it('puts a problem of the draft at its field, and adds, reorders and removes mappings before saving them', async () => {
    const host = mappingHost();
    const { user, form } = await openNordwind(host);
    await user.click(within(form).getByRole('button', { name: 'Add mapping' }));
    const blank = within(form).getByLabelText('Internal field, row 4');
    await waitFor(() => expect(blank.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Too small: expected string to have >=1 characters').id).toBe(blank.getAttribute('aria-describedby'));
    await user.type(blank, 'country');
    await user.type(within(form).getByLabelText('Partner column, row 4'), 'Land');
    await waitFor(() => expect(within(form).getByLabelText('Internal field, row 4').getAttribute('aria-invalid')).toBeNull());

    await user.click(within(form).getByRole('button', { name: 'Move row 4 up' }));
    await user.click(within(form).getByRole('button', { name: 'Remove row 1' }));
    await user.click(within(form).getByLabelText('Required, row 1'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved /profiles/nordwind.yaml.');
    const saved = callsOf(host, 'mapping.save');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.name).toBe('nordwind.yaml');
    expect(saved[0]?.profile.inbound?.mapping?.fields).toEqual([
      { to: 'order_date', from: 'Bestelldatum', transforms: [{ date: { from: 'dd.MM.yyyy', to: 'yyyy-MM-dd' } }], required: true },
      { to: 'country', from: 'Land' },
      { to: 'sku', from: 'Artikel', transforms: ['trim', 'upper'] },
    ]);
    expect(within(form).getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);
  });

  it('says why a save was refused, and keeps the edits', async () => {
    const host = mappingHost();
    const invoke = host.invoke.bind(host);
    host.invoke = async (command, input) => (command === 'mapping.save' ? fail({ kind: 'config', message: 'Not saved: Partner profile /profiles/nordwind.yaml is not valid: …', retryable: false }) : invoke(command, input));
    const { user, form } = await openNordwind(host);
    await user.type(within(form).getByLabelText('Internal field, row 1'), 'x');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('Not saved: Partner profile /profiles/nordwind.yaml is not valid: …');
    expect(within(form).getByLabelText<HTMLInputElement>('Internal field, row 1').value).toBe('order_idx');
  });
});
