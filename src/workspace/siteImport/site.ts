import type { ParsedUrl } from '../../config/connectionUrl.js';
import { TransferError } from '../../connectors/errors.js';

/** Where a site leads, as Ferry's connection URLs describe it; sites of other kinds are not imported. */
export type SiteAddress = Extract<ParsedUrl, { kind: 'sftp' | 'ftp' }>;

/** One site as another program saved it, read into what Ferry can use and what it cannot. */
export interface ImportedSite {
  /** Its folders and name as the other program showed them, e.g. `Partners/Acme outbox`. */
  readonly source: string;
  /** Absent when the site uses a protocol Ferry does not speak. */
  readonly address?: SiteAddress;
  readonly password?: string;
  readonly keyFile?: string;
  /** What was taken over, in words. */
  readonly imported: ReadonlyArray<string>;
  /** What was left behind and why, in words. */
  readonly notImported: ReadonlyArray<string>;
}

/** A site manager file of thousands of sites is well under this; a larger one is not a site list. */
export const MAX_SITE_FILE_CHARS = 5 * 1024 * 1024;

export function refuseHugeFile(fileName: string, text: string): void {
  if (text.length > MAX_SITE_FILE_CHARS) {
    throw new TransferError('config', `${fileName} is larger than 5 MB: it is not a site list Ferry can import`);
  }
}

/** A bad file's error, naming the file and the line as an editor numbers them. */
export function fileError(fileName: string, line: number, reason: string): TransferError {
  return new TransferError('config', `${fileName}, line ${line}: ${reason}`);
}

/** Folder names joined as the site manager tree shows them; a name holding `/` keeps it as data. */
export function sourceOf(folders: ReadonlyArray<string>, name: string): string {
  return [...folders, name].map((part) => part.trim()).filter((part) => part !== '').join('/');
}

const FTP_WORDS = { none: 'FTP without encryption', explicit: 'FTP over TLS (explicit)', implicit: 'FTP over TLS (implicit)' } as const;

/** The protocol as the preview names it. */
export function protocolWords(address: SiteAddress): string {
  return address.kind === 'sftp' ? 'SFTP' : FTP_WORDS[address.security];
}
