import { FileType, parseList, type FileInfo } from 'basic-ftp';

/** One parsed listing row, still in server terms (basic-ftp's FileInfo stays in this folder). */
export interface ListedName {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'unknown';
  /** -1 when unknown. */
  readonly size: number;
  readonly modifiedAt?: number;
}

// Line breaks and NUL inside a name are swapped for Unicode noncharacters before parsing, so that
// basic-ftp's parsers (whose `.` stops at a CR) see one record per entry and keep the name whole; the
// original characters are put back afterwards so that the name is refused for what it really contains.
const CR_STAND_IN = '\uFDD0';
const LF_STAND_IN = '\uFDD1';
const NUL_STAND_IN = '\uFDD2';

function hide(record: string): string {
  return record.replace(/[\r\n\0]/g, (c) => (c === '\r' ? CR_STAND_IN : c === '\n' ? LF_STAND_IN : NUL_STAND_IN));
}

function reveal(name: string): string {
  return name.replace(/[\uFDD0-\uFDD2]/g, (c) => (c === CR_STAND_IN ? '\r' : c === LF_STAND_IN ? '\n' : '\0'));
}

/** Parses one record; undefined for records that parse to nothing ('.', '..', 'total'), null when unparseable. */
function parseRecord(record: string): FileInfo | undefined | null {
  try {
    const parsed = parseList(hide(record));
    return parsed[0];
  } catch {
    return null;
  }
}

/**
 * Splits a raw LIST/MLSD answer into entries without letting a hostile name hide or forge entries.
 * Servers end records with CRLF, so when the answer contains CRLF a lone CR or LF belongs to a name; a
 * record that cannot be parsed on its own is taken as the continuation of the previous name (a name
 * with a line break, as vsftpd sends it). Returns every name, safe or not: the caller checks each with
 * `unsafeNameReason`.
 * Installed as basic-ftp's `Client.parseList`.
 */
export function parseListing(raw: string): FileInfo[] {
  const separator = raw.includes('\r\n') ? '\r\n' : '\n';
  const out: FileInfo[] = [];
  let previous: { record: string; index: number } | undefined;
  for (const record of raw.split(separator)) {
    if (record.trim() === '') continue;
    const info = parseRecord(record);
    if (info === null) {
      if (previous !== undefined) {
        const joined = `${previous.record}${separator}${record}`;
        const again = parseRecord(joined);
        if (again !== null && again !== undefined) {
          out[previous.index] = revealed(again);
          previous = { record: joined, index: previous.index };
        }
      }
      continue;
    }
    if (info === undefined) {
      previous = undefined;
      continue;
    }
    out.push(revealed(info));
    previous = { record, index: out.length - 1 };
  }
  return out;
}

function revealed(info: FileInfo): FileInfo {
  info.name = reveal(info.name);
  return info;
}

/** basic-ftp's FileInfo in connector-neutral terms. */
export function toListedName(info: FileInfo): ListedName {
  const modified = info.modifiedAt?.getTime();
  return {
    name: info.name,
    type:
      info.type === FileType.File
        ? 'file'
        : info.type === FileType.Directory
          ? 'dir'
          : info.type === FileType.SymbolicLink
            ? 'symlink'
            : 'unknown',
    size: Number.isFinite(info.size) && info.size >= 0 ? info.size : -1,
    ...(modified === undefined || Number.isNaN(modified) ? {} : { modifiedAt: modified }),
  };
}

/** The facts of an MLST reply (RFC 3659 §7), or undefined when the reply holds none. */
export function parseMlstReply(message: string): ListedName | undefined {
  // The fact line is the one that starts with a space; the path after the facts is ignored because the
  // caller knows which path it asked about.
  const line = message.split(/\r?\n/).find((l) => l.startsWith(' ') && l.includes('='));
  if (line === undefined) return undefined;
  const factsEnd = line.indexOf(' ', 1);
  const facts = (factsEnd < 0 ? line.slice(1) : line.slice(1, factsEnd)).split(';');
  let type: ListedName['type'] = 'unknown';
  let size = -1;
  let modifiedAt: number | undefined;
  for (const fact of facts) {
    const eq = fact.indexOf('=');
    if (eq < 0) continue;
    const key = fact.slice(0, eq).toLowerCase();
    const value = fact.slice(eq + 1);
    if (key === 'type') {
      const v = value.toLowerCase();
      type = v === 'file' ? 'file' : v === 'dir' || v === 'cdir' || v === 'pdir' ? 'dir' : v.startsWith('os.unix=slink') || v === 'os.unix=symlink' ? 'symlink' : 'unknown';
    } else if (key === 'size') {
      const n = Number.parseInt(value, 10);
      if (Number.isFinite(n) && n >= 0) size = n;
    } else if (key === 'modify') {
      modifiedAt = parseFtpTime(value);
    }
  }
  return { name: '', type, size, ...(modifiedAt === undefined ? {} : { modifiedAt }) };
}

/** Parses RFC 3659 time values (`YYYYMMDDHHMMSS[.sss]`, always UTC); undefined when malformed. */
export function parseFtpTime(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac === undefined ? 0 : Number.parseInt(frac.padEnd(3, '0'), 10);
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return Number.isNaN(t) ? undefined : t;
}

/** Formats epoch ms as an RFC 3659 time value (whole seconds, UTC) for MFMT. */
export function formatFtpTime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
