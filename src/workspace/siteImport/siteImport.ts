import { access } from 'node:fs/promises';
import { formatConnectionUrl } from '../../config/connectionUrl.js';
import type { ConnectionConfig } from '../../config/ConnectionStore.js';
import { TransferError } from '../../connectors/errors.js';
import type { Workspace } from '../Workspace.js';
import { readFileZillaSites } from './filezilla.js';
import type { ImportedSite } from './site.js';
import { readWinScpSites } from './winscp.js';

export type SiteFileFormat = 'filezilla' | 'winscp';

/** One site of the file as the import preview shows it: never its password. */
export interface SitePreview {
  /** Its position in the file, which `applySiteImport` takes back. */
  readonly id: string;
  readonly source: string;
  /** The connection name it will be saved under: free of clashes, safe as a name. */
  readonly name: string;
  readonly url?: string;
  readonly imported: ReadonlyArray<string>;
  readonly notImported: ReadonlyArray<string>;
  /** Set when the name the site would take is already used, saying which name it gets instead. */
  readonly clash?: string;
}

export interface SiteImportPreview {
  readonly format: SiteFileFormat;
  readonly sites: ReadonlyArray<SitePreview>;
}

interface PlannedSite {
  readonly preview: SitePreview;
  readonly site: ImportedSite;
}

/** Tells the two files apart by what each always starts with. */
export function detectFormat(fileName: string, text: string): SiteFileFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return 'filezilla';
  if (/^\[(Sessions|Configuration)\\/im.test(start) || start.startsWith('[')) return 'winscp';
  throw new TransferError('config', `${fileName} is neither a FileZilla sitemanager.xml nor a WinSCP.ini`);
}

/** Reads a site list and shows what each site becomes; nothing is saved. */
export async function previewSiteImport(ws: Workspace, fileName: string, text: string): Promise<SiteImportPreview> {
  const format = detectFormat(fileName, text);
  const planned = await plan(ws, format, fileName, text);
  return { format, sites: planned.map((p) => p.preview) };
}

/**
 * Saves the chosen sites as connections, passwords into the secret store. The file is read again, so
 * no password ever travelled to the window; names are chosen again against the connections of now.
 */
export async function applySiteImport(ws: Workspace, fileName: string, text: string, ids: ReadonlyArray<string>): Promise<Array<{ source: string; name: string }>> {
  const planned = await plan(ws, detectFormat(fileName, text), fileName, text);
  const wanted = new Set(ids);
  const unknown = ids.filter((id) => !planned.some((p) => p.preview.id === id));
  if (unknown.length > 0) throw new TransferError('config', `${fileName} has no site ${unknown.join(', ')}: open it again`);
  const saved: Array<{ source: string; name: string }> = [];
  for (const { preview, site } of planned) {
    if (!wanted.has(preview.id)) continue;
    const config = configOf(preview.name, site);
    if (config === undefined) throw new TransferError('config', `${site.source} cannot be imported: ${site.notImported.join('; ')}`);
    await ws.saveConnection(config, site.password === undefined ? {} : { password: site.password });
    saved.push({ source: site.source, name: preview.name });
  }
  return saved;
}

async function plan(ws: Workspace, format: SiteFileFormat, fileName: string, text: string): Promise<PlannedSite[]> {
  const read = format === 'filezilla' ? readFileZillaSites(fileName, text) : readWinScpSites(fileName, text);
  const taken = new Set((await ws.connections.list()).map((c) => c.name.toLowerCase()));
  const planned: PlannedSite[] = [];
  for (const [index, original] of read.entries()) {
    const site = await withUsableKeyFile(withSafeHost(original));
    const wantedName = safeName(site.source);
    const name = freeName(wantedName, taken);
    taken.add(name.toLowerCase());
    const config = configOf(name, site);
    planned.push({
      site,
      preview: {
        id: String(index),
        source: site.source,
        name,
        ...(config === undefined || config.kind === 'salesforce' ? {} : { url: formatConnectionUrl(config) }),
        imported: site.imported,
        notImported: site.notImported,
        ...(name === wantedName ? {} : { clash: `A connection named "${wantedName}" exists already: this one is saved as "${name}"` }),
      },
    });
  }
  return planned;
}

/** A host that is not a name or an address would be read as part of a URL: such a site is not imported. */
function withSafeHost(site: ImportedSite): ImportedSite {
  if (site.address === undefined || /^[A-Za-z0-9._:[\]-]{1,253}$/.test(site.address.host)) return site;
  return { source: site.source, imported: [], notImported: [`the site: "${site.address.host.slice(0, 80)}" is not a server name or address`] };
}

/** A key file from another computer (a Windows path, a removed file) is dropped, and the user told. */
async function withUsableKeyFile(site: ImportedSite): Promise<ImportedSite> {
  if (site.keyFile === undefined) return site;
  const found = await access(site.keyFile).then(
    () => true,
    () => false,
  );
  if (found) return site;
  const { keyFile, ...rest } = site;
  return {
    ...rest,
    imported: site.imported.filter((line) => line !== `key file ${keyFile}`),
    notImported: [...site.notImported, `key file ${keyFile}: it is not on this computer; choose one when you edit the connection`],
  };
}

function configOf(name: string, site: ImportedSite): ConnectionConfig | undefined {
  const a = site.address;
  if (a === undefined || a.user === '') return undefined;
  if (a.kind === 'ftp') return { name, kind: 'ftp', security: a.security, host: a.host, port: a.port, user: a.user, root: a.root, hasPassword: site.password !== undefined };
  return {
    name,
    kind: 'sftp',
    host: a.host,
    port: a.port,
    user: a.user,
    root: a.root,
    hasPassword: site.password !== undefined && site.keyFile === undefined,
    ...(site.keyFile === undefined ? {} : { keyFile: site.keyFile }),
    hasKeyPassphrase: false,
    useAgent: false,
    hostKeyPolicy: 'strict',
  };
}

/**
 * A connection name from the site's folders and name: letters, digits, '.', '_' and '-' only, so a
 * name such as `../../etc` becomes `etc` and never reads as a path.
 */
export function safeName(source: string): string {
  const name = source
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 56)
    .replace(/[^A-Za-z0-9]+$/, '');
  return name === '' ? 'site' : name;
}

function freeName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted.toLowerCase())) return wanted;
  for (let n = 2; ; n++) {
    const candidate = `${wanted}-${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
