import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProfileDraft } from '../../src/shared/contract/mappingCommands.js';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import { openHost, type OpenHost } from './openHost.js';

const EXAMPLE = join(process.cwd(), 'examples', '06-partner-onboarding');
const BAD_SAMPLE = join(EXAMPLE, 'samples', 'BESTELLUNG_bad-sample.csv');

/** The partner formats screen's commands over Nordwind's real profile and samples, in a fresh workspace. */
describe('the core behind the partner formats screen', () => {
  let host: OpenHost;
  let profiles: string;

  beforeAll(async () => {
    host = await openHost('ferry-mapping-host-');
    profiles = join(host.home, 'jobs', 'profiles');
    await mkdir(profiles, { recursive: true });
    await copyFile(join(EXAMPLE, 'profiles', 'nordwind.yaml'), join(profiles, 'nordwind.yaml'));
    await writeFile(join(profiles, 'broken.yaml'), 'partner: Broken\ninbound:\n  input: { type: csv }\n');
    await writeFile(join(profiles, 'notes.txt'), 'not a profile');
  });
  afterAll(async () => {
    await host?.close();
  });

  const nordwind = async (): Promise<ProfileDraft> => {
    const read = await host.call('mapping.read', { name: 'nordwind.yaml' });
    if (read.profile === undefined) throw new Error(`nordwind.yaml did not read: ${read.problem ?? ''}`);
    return read.profile;
  };

  it('lists the profiles of the jobs folder, a broken one with the file and the reason', async () => {
    const listed = await host.call('mapping.profiles', {});
    expect(listed.folder).toBe(profiles);
    expect(listed.profiles).toEqual([
      { name: 'broken.yaml', directions: [], problem: expect.stringMatching(new RegExp(`^Partner profile ${join(profiles, 'broken.yaml').replaceAll('.', '\\.')} is not valid: inbound\\.output: `)) as unknown },
      { name: 'nordwind.yaml', partner: 'Nordwind Handel GmbH', directions: ['inbound', 'outbound'] },
    ]);
  });

  it('reads a profile as its file and its structure', async () => {
    const read = await host.call('mapping.read', { name: 'nordwind.yaml' });
    expect(read.yaml).toBe(await readFile(join(profiles, 'nordwind.yaml'), 'utf8'));
    expect(read.profile?.inbound?.mapping?.fields.map((f) => f.to)).toEqual(['order_id', 'order_date', 'customer_no', 'sku', 'description', 'quantity', 'unit_price', 'country', 'channel']);
    expect(read.profile?.inbound?.input).toEqual({ type: 'csv', delimiter: ';', encoding: 'latin1' });
  });

  it('previews a real sample file before and after conversion, each bad row with its problem at its column', async () => {
    const preview = await host.call('mapping.preview', { profile: await nordwind(), direction: 'inbound', sample: { kind: 'file', connection: THIS_COMPUTER, path: BAD_SAMPLE }, rows: 10 });
    expect(preview.sample).toBe(`${THIS_COMPUTER}:${BAD_SAMPLE.slice(1)}`);
    expect(preview.partial).toBe(false);
    expect(preview.profileProblems).toEqual([]);
    expect(preview.before).toEqual(['Bestellnr', 'Bestelldatum', 'Kundennr', 'Artikel', 'Bezeichnung', 'Menge', 'Einzelpreis', 'Land']);
    expect(preview.after).toEqual(['order_id', 'order_date', 'customer_no', 'sku', 'description', 'quantity', 'unit_price', 'country', 'channel']);
    expect(preview.rows).toHaveLength(5);
    const [first, second, third] = preview.rows;
    expect(first?.before['Bezeichnung']).toBe('Palettenstretchfolie 500 mm');
    expect(first?.after).toMatchObject({ order_id: 'NW-40020', order_date: '2026-03-03', unit_price: '12.50', country: 'DE', channel: 'NORDWIND' });
    expect(first?.problem).toBeUndefined();
    expect(second).toMatchObject({ rowNumber: 2, problem: { field: 'order_date', column: 'Bestelldatum', message: 'Row 2, field "order_date": "31.02.2026" is not a date in the format "dd.MM.yyyy"' } });
    expect(second?.after).toBeUndefined();
    // Latin-1 read as the profile says: the umlaut arrives whole.
    expect(third?.before['Bezeichnung']).toBe('Barcode-Scanner Größe M');
    expect(preview.rows.map((row) => row.problem?.column)).toEqual([undefined, 'Bestelldatum', 'Menge', 'Land', 'Kundennr']);
  });

  it('follows the draft: a field the draft changes changes the converted rows', async () => {
    const draft = await nordwind();
    const fields = draft.inbound?.mapping?.fields ?? [];
    const country = fields.findIndex((f) => f.to === 'country');
    fields[country] = { to: 'country', from: 'Land', transforms: ['trim', 'upper'] };
    const preview = await host.call('mapping.preview', { profile: draft, direction: 'inbound', sample: { kind: 'file', connection: THIS_COMPUTER, path: BAD_SAMPLE }, rows: 10 });
    expect(preview.rows[3]?.after?.['country']).toBe('FRANKREICH');
    expect(preview.rows[3]?.problem).toBeUndefined();
  });

  it('previews pasted text, and names it in a problem of the whole sample', async () => {
    const preview = await host.call('mapping.preview', { profile: await nordwind(), direction: 'inbound', sample: { kind: 'text', text: 'Bestellnr;Menge\n"NW-1;2\n' }, rows: 10 });
    expect(preview.sample).toBe('the pasted sample');
    expect(preview.rows).toEqual([]);
    expect(preview.sampleProblems).toEqual(['the pasted sample line 2, column 1 "Bestellnr": a quoted value starts here and is never closed']);
  });

  it('answers a draft that is not a valid profile with each problem at its path, converting nothing', async () => {
    const draft = await nordwind();
    const fields = draft.inbound?.mapping?.fields ?? [];
    fields.push({ to: '', from: 'Menge' }, { to: 'sku', from: 'Artikel' });
    const preview = await host.call('mapping.preview', { profile: draft, direction: 'inbound', sample: { kind: 'text', text: 'Bestellnr\n1\n' }, rows: 10 });
    expect(preview.rows).toEqual([]);
    expect(preview.profileProblems).toEqual([
      { path: ['inbound', 'mapping', 'fields', 9, 'to'], message: expect.stringMatching(/>=1 character/) as unknown },
      { path: ['inbound', 'mapping', 'fields', 10, 'to'], message: '"sku" is mapped twice' },
    ]);
    const none = await host.call('mapping.preview', { profile: { partner: 'X', outbound: draft.outbound }, direction: 'inbound', sample: { kind: 'text', text: 'a\n1\n' }, rows: 10 });
    expect(none.profileProblems).toEqual([{ path: ['inbound'], message: 'the profile has no inbound conversion' }]);
  });

  it('saves an edited profile keeping its comments, its order and the reordered fields\' own lines', async () => {
    const draft = await nordwind();
    const fields = draft.inbound?.mapping?.fields ?? [];
    const [orderId, orderDate] = [fields[0], fields[1]];
    if (orderId === undefined || orderDate === undefined) throw new Error('nordwind.yaml lost its first fields');
    fields.splice(0, 2, orderDate, orderId);
    fields.push({ to: 'note', from: 'Bezeichnung', transforms: ['upper'] });
    const saved = await host.call('mapping.save', { name: 'nordwind.yaml', profile: draft });
    const text = await readFile(join(profiles, 'nordwind.yaml'), 'utf8');
    expect(saved.yaml).toBe(text);
    expect(text).toContain("# Nordwind's order file → our internal order lines.");
    expect(text).toContain('# Our order confirmations → Nordwind\'s "Auftragsbestätigung" file.');
    expect(text.indexOf('to: order_date')).toBeLessThan(text.indexOf('to: order_id'));
    expect(text).toContain('- { to: note, from: Bezeichnung, transforms: [ upper ] }');
    expect(Object.keys(parse(text) as object)).toEqual(['partner', 'description', 'inbound', 'outbound']);
    expect((await host.call('mapping.read', { name: 'nordwind.yaml' })).profile).toEqual(draft);
    expect((await readdir(profiles)).sort()).toEqual(['broken.yaml', 'nordwind.yaml', 'notes.txt']);
  });

  it('refuses to save a draft that is not a valid profile, or a name outside the folder, leaving the files as they were', async () => {
    const before = await readFile(join(profiles, 'nordwind.yaml'), 'utf8');
    const draft = await nordwind();
    const last = draft.inbound?.mapping?.fields.push({ to: 'when', from: 'Bestelldatum', transforms: [{ date: { from: 'dd.QQ.yyyy', to: 'yyyy-MM-dd' } }] }) ?? 0;
    const refused = (await host.core.invoke('mapping.save', { name: 'nordwind.yaml', profile: draft }));
    expect(refused).toMatchObject({ ok: false, error: { kind: 'config', message: expect.stringMatching(new RegExp(`^Not saved: Partner profile ${join(profiles, 'nordwind.yaml').replaceAll('.', '\\.')} is not valid: inbound\\.mapping\\.fields\\[${last - 1}\\]\\.transforms\\[0\\]\\.date\\.from: `)) as unknown } });
    const escape = (await host.core.invoke('mapping.save', { name: '../nordwind.yaml', profile: draft }));
    expect(escape).toMatchObject({ ok: false, error: { kind: 'badRequest' } });
    expect(await readFile(join(profiles, 'nordwind.yaml'), 'utf8')).toBe(before);
    expect((await readdir(join(host.home, 'jobs'))).sort()).toEqual(['profiles']);
  });

  it('saves a new profile as a new file', async () => {
    const draft: ProfileDraft = { partner: 'Globex', outbound: { input: { type: 'csv' }, output: { type: 'csv', delimiter: ';' } } };
    await host.call('mapping.save', { name: 'globex.yaml', profile: draft });
    expect(parse(await readFile(join(profiles, 'globex.yaml'), 'utf8'))).toEqual(draft);
  });
});
