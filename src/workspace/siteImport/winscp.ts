import type { FtpSecurity } from '../../config/connectionUrl.js';
import { readIni, type IniSection } from './ini.js';
import { protocolWords, refuseHugeFile, sourceOf, type ImportedSite, type SiteAddress } from './site.js';
import { decodeWinScpPassword } from './winscpPassword.js';

/** WinSCP's `FSProtocol` values: 0 SCP, 1 SFTP falling back to SCP, 2 SFTP, 5 FTP, 6 WebDAV, 7 S3. */
const SCP = '0';
const SFTP = new Set(['1', '2']);
const FTP = '5';
const OTHER_PROTOCOLS: Readonly<Record<string, string>> = { '6': 'WebDAV', '7': 'Amazon S3' };

/** WinSCP's `Ftps` values: 0 none, 1 implicit TLS, 2 and 3 explicit (SSL and TLS, the same today). */
const FTPS: Readonly<Record<string, FtpSecurity>> = { '0': 'none', '1': 'implicit', '2': 'explicit', '3': 'explicit' };

const SESSION_PREFIX = 'sessions\\';

/**
 * Reads WinSCP's `WinSCP.ini`: one `[Sessions\name]` section per site, names and paths URL-encoded,
 * passwords obfuscated with WinSCP's reversible scheme unless a master password encrypts them.
 */
export function readWinScpSites(fileName: string, text: string): ImportedSite[] {
  refuseHugeFile(fileName, text);
  const sections = readIni(fileName, text);
  const masterPassword = sections.some((s) => s.name.toLowerCase() === 'configuration\\security' && s.values.get('usemasterpassword') === '1');
  return sections
    .filter((s) => s.name.toLowerCase().startsWith(SESSION_PREFIX))
    .filter((s) => decoded(s.name.slice(SESSION_PREFIX.length)) !== 'Default Settings')
    .map((s) => readSession(s, masterPassword));
}

function readSession(section: IniSection, masterPassword: boolean): ImportedSite {
  const name = decoded(section.name.slice(SESSION_PREFIX.length));
  const parts = name.split('/');
  const source = sourceOf(parts.slice(0, -1), parts.at(-1) ?? name);
  const get = (key: string): string => section.values.get(key.toLowerCase()) ?? '';
  const host = decoded(get('HostName'));
  const protocol = get('FSProtocol') || '2';
  const other = OTHER_PROTOCOLS[protocol];
  if (other !== undefined) return { source, imported: [], notImported: [`the site: Ferry does not connect to ${other}`] };
  const security = FTPS[get('Ftps') || '0'];
  const isFtp = protocol === FTP;
  if (!isFtp && !SFTP.has(protocol) && protocol !== SCP) {
    return { source, imported: [], notImported: [`the site: WinSCP protocol ${protocol} is not one Ferry connects to`] };
  }
  if (isFtp && security === undefined) return { source, imported: [], notImported: [`the site: WinSCP's TLS setting ${get('Ftps')} is not one Ferry knows`] };
  if (host === '') return { source, imported: [], notImported: ['the site: it names no server'] };

  const imported: string[] = [];
  const notImported: string[] = [];
  if (protocol === SCP) notImported.push('SCP: Ferry reaches the same server with SFTP, which SCP servers also offer');
  const user = decoded(get('UserName'));
  const fallbackPort = !isFtp ? 22 : security === 'implicit' ? 990 : 21;
  const port = portOf(get('PortNumber'), fallbackPort);
  const root = rootOf(decoded(get('RemoteDirectory')), notImported);
  const address: SiteAddress = isFtp && security !== undefined ? { kind: 'ftp', security, host, port, user, root } : { kind: 'sftp', host, port, user, root };
  imported.push(protocolWords(address), `server ${host}:${port}`, `user ${user || '(none)'}`);
  if (root !== '') imported.push(`remote folder ${root}`);

  const stored = get('Password');
  let password: string | undefined;
  if (stored === '') {
    notImported.push('password: none is stored; enter it when you edit the connection');
  } else if (masterPassword) {
    notImported.push('password: WinSCP protects it with a master password; enter it when you edit the connection');
  } else {
    password = decodeWinScpPassword(stored, user, host);
    if (password === undefined) notImported.push('password: the stored text is not a WinSCP password for this user and server');
    else imported.push('password (into the secret store)');
  }
  const keyFile = decoded(get('PublicKeyFile'));
  if (keyFile !== '') {
    if (isFtp) notImported.push(`key file ${keyFile}: keys sign in to SFTP servers only`);
    else imported.push(`key file ${keyFile}`);
  }
  if (user === '') notImported.push('user name: none is stored; enter it when you edit the connection');
  return {
    source,
    address,
    ...(password === undefined ? {} : { password }),
    ...(keyFile !== '' && !isFtp ? { keyFile } : {}),
    imported,
    notImported,
  };
}

function rootOf(dir: string, notImported: string[]): string {
  if (dir === '') return '';
  const parts = dir.split('/');
  if (parts.includes('..') || dir.includes('\0') || dir.includes('\\')) {
    notImported.push(`default remote folder "${dir.slice(0, 80)}": it is not a folder Ferry can use`);
    return '';
  }
  return dir.startsWith('/') ? dir.replace(/\/+$/, '') || '/' : dir;
}

/** WinSCP escapes its strings as URLs do; text that is not valid escaping is taken as written. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function portOf(text: string, fallback: number): number {
  const port = Number(text);
  return text !== '' && Number.isInteger(port) && port >= 1 && port <= 65_535 ? port : fallback;
}
