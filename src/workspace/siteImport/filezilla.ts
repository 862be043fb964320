import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FtpSecurity } from '../../config/connectionUrl.js';
import { fileError, protocolWords, refuseHugeFile, sourceOf, type ImportedSite, type SiteAddress } from './site.js';

/** FileZilla's protocol numbers (libfilezilla's `ServerProtocol`) that Ferry speaks. */
const PROTOCOLS: Readonly<Record<string, { kind: 'sftp' } | { kind: 'ftp'; security: FtpSecurity; note?: string }>> = {
  '0': {
    kind: 'ftp',
    security: 'explicit',
    note: "FileZilla's fallback to unencrypted FTP: Ferry insists on TLS (change the address to ftp:// if this server has none)",
  },
  '1': { kind: 'sftp' },
  '3': { kind: 'ftp', security: 'implicit' },
  '4': { kind: 'ftp', security: 'explicit' },
  '6': { kind: 'ftp', security: 'none' },
};

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '2': 'HTTP', '5': 'HTTPS', '7': 'Amazon S3', '8': 'Storj', '9': 'WebDAV' };

const LOGON = { anonymous: '0', normal: '1', ask: '2', interactive: '3', account: '4', key: '5' } as const;

type Node = Readonly<Record<string, unknown>>;

/**
 * Reads FileZilla's `sitemanager.xml`: sites in nested folders, each with its protocol, port, user,
 * base64 password where FileZilla stored one, key file and default remote folder.
 */
export function readFileZillaSites(fileName: string, text: string): ImportedSite[] {
  refuseHugeFile(fileName, text);
  // FileZilla never writes a DTD; one here could only be there to expand entities without end.
  const doctype = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (doctype !== null) throw fileError(fileName, lineAt(text, doctype.index), 'a document type declaration is not allowed in a site list');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw fileError(fileName, valid.err.line, `not well-formed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => name === 'Server' || name === 'Folder',
  });
  const root = asNode(asNode(parser.parse(text) as unknown)['FileZilla3']);
  const servers = asNode(root['Servers']);
  if (Object.keys(root).length === 0 || root['Servers'] === undefined) {
    throw fileError(fileName, 1, 'this is not a FileZilla site list (no <FileZilla3><Servers>)');
  }
  const sites: ImportedSite[] = [];
  walk(servers, [], sites);
  return sites;
}

function walk(folder: Node, path: ReadonlyArray<string>, into: ImportedSite[]): void {
  for (const server of asList(folder['Server'])) into.push(readServer(asNode(server), path));
  for (const sub of asList(folder['Folder'])) {
    const node = asNode(sub);
    walk(node, [...path, textOf(node['#text'])], into);
  }
}

function readServer(server: Node, folders: ReadonlyArray<string>): ImportedSite {
  const host = textOf(server['Host']).trim();
  const source = sourceOf(folders, textOf(server['Name']) || host);
  const protocolNumber = textOf(server['Protocol']) || '0';
  const protocol = PROTOCOLS[protocolNumber];
  if (protocol === undefined) {
    const what = PROTOCOL_NAMES[protocolNumber] ?? `FileZilla protocol ${protocolNumber}`;
    return { source, imported: [], notImported: [`the site: Ferry does not connect to ${what}`] };
  }
  if (host === '') return { source, imported: [], notImported: ['the site: it names no server'] };
  const imported: string[] = [];
  const notImported: string[] = [];
  if (protocol.kind === 'ftp' && protocol.note !== undefined) notImported.push(protocol.note);

  const logon = textOf(server['Logontype']) || LOGON.normal;
  const anonymous = logon === LOGON.anonymous;
  const user = anonymous ? 'anonymous' : textOf(server['User']);
  const port = portOf(textOf(server['Port']), protocol.kind === 'sftp' ? 22 : protocol.security === 'implicit' ? 990 : 21);
  const root = remoteDirOf(textOf(server['RemoteDir']), notImported);
  const address: SiteAddress =
    protocol.kind === 'sftp'
      ? { kind: 'sftp', host, port, user, root }
      : { kind: 'ftp', security: protocol.security, host, port, user, root };
  imported.push(protocolWords(address), `server ${host}:${port}`, `user ${user || '(none)'}`);
  if (root !== '') imported.push(`remote folder ${root}`);

  const secret = passwordOf(server['Pass'], logon, anonymous, notImported);
  if (secret !== undefined) imported.push(anonymous ? 'anonymous sign-in' : 'password (into the secret store)');
  const keyFile = textOf(server['Keyfile']).trim();
  if (logon === LOGON.key && keyFile !== '') {
    if (protocol.kind === 'sftp') imported.push(`key file ${keyFile}`);
    else notImported.push(`key file ${keyFile}: keys sign in to SFTP servers only`);
  }
  if (user === '') notImported.push('user name: none is stored; enter it when you edit the connection');
  return {
    source,
    address,
    ...(secret === undefined ? {} : { password: secret }),
    ...(logon === LOGON.key && keyFile !== '' && protocol.kind === 'sftp' ? { keyFile } : {}),
    imported,
    notImported,
  };
}

function passwordOf(pass: unknown, logon: string, anonymous: boolean, notImported: string[]): string | undefined {
  // RFC 1635's convention: an anonymous FTP password is just a courtesy string.
  if (anonymous) return 'anonymous@';
  if (logon === LOGON.ask || logon === LOGON.interactive) {
    notImported.push('password: FileZilla asks for it at each connection; enter it when you edit the connection');
    return undefined;
  }
  if (logon === LOGON.key) return undefined;
  if (logon === LOGON.account) notImported.push('FTP account (ACCT): Ferry does not use one');
  if (pass === undefined) {
    notImported.push('password: none is stored; enter it when you edit the connection');
    return undefined;
  }
  const node = typeof pass === 'object' && pass !== null ? (pass as Node) : { '#text': pass };
  const encoding = textOf(node['@_encoding']);
  const value = textOf(node['#text']);
  if (encoding === 'crypt') {
    notImported.push('password: FileZilla protects it with a master password; enter it when you edit the connection');
    return undefined;
  }
  if (encoding === 'base64') return Buffer.from(value, 'base64').toString('utf8');
  if (encoding === '') return value;
  notImported.push(`password: stored in an encoding Ferry does not know (${encoding})`);
  return undefined;
}

/**
 * FileZilla writes a remote folder as `<type> <prefix length> [prefix] (<length> <segment>)*`, e.g.
 * `1 0 6 outbox 5 daily`, so that segments may hold spaces. A folder that climbs (`..`) is dropped.
 */
function remoteDirOf(text: string, notImported: string[]): string {
  if (text.trim() === '') return '';
  let at = 0;
  const number = (): number | undefined => {
    while (text[at] === ' ') at++;
    const m = /^\d+/.exec(text.slice(at));
    if (m === null) return undefined;
    at += m[0].length + 1;
    return Number(m[0]);
  };
  const take = (length: number): string => {
    const part = text.slice(at, at + length);
    at += length;
    return part;
  };
  const type = number();
  const prefixLength = number();
  if (type === undefined || prefixLength === undefined) return dropDir(text, notImported);
  take(prefixLength);
  const segments: string[] = [];
  while (text.slice(at).trim() !== '') {
    const length = number();
    if (length === undefined || at + length > text.length) return dropDir(text, notImported);
    segments.push(take(length));
  }
  if (segments.some((s) => s === '..' || s === '.' || s.includes('/') || s.includes('\\') || s.includes('\0'))) return dropDir(text, notImported);
  return `/${segments.join('/')}`;
}

function dropDir(text: string, notImported: string[]): string {
  notImported.push(`default remote folder "${text.slice(0, 80)}": it is not a folder Ferry can use`);
  return '';
}

function portOf(text: string, fallback: number): number {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? port : fallback;
}

function asNode(value: unknown): Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : {};
}

function asList(value: unknown): ReadonlyArray<unknown> {
  return Array.isArray(value) ? value : [];
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
