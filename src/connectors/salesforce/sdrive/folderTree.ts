import { titleOf } from '../fileNames.js';

/** One finished, live S-Drive record of a parent record, as the file object query returned it. */
export interface FileRow {
  readonly id: string;
  readonly name: string;
  /** The folder record's id; '' at the record's root. */
  readonly folderId: string;
  readonly isFolder: boolean;
  readonly size: number;
  readonly modifiedAt: number | undefined;
}

/** A file or folder of a record's S-Drive; the record's root is a folder with id ''. */
export interface SDriveNode {
  readonly id: string;
  /** The name shown in listings, unique within its folder. */
  readonly name: string;
  readonly kind: 'file' | 'dir';
  /** -1 for folders and for files whose size S-Drive does not know. */
  readonly size: number;
  readonly modifiedAt: number | undefined;
  /** Keyed by `name`; always empty for files. */
  readonly children: Map<string, SDriveNode>;
}

/** Salesforce compares the 15- and 18-character forms of an id as equal; `Parent_Folder_Id__c` may hold either. */
const id15 = (id: string): string => id.slice(0, 15);

export function nodeOf(row: FileRow, name = row.name): SDriveNode {
  return { id: row.id, name, kind: row.isFolder ? 'dir' : 'file', size: row.isFolder ? -1 : row.size, modifiedAt: row.modifiedAt, children: new Map() };
}

/** The same name with the record id added, before the extension for files, as Salesforce Files shows duplicates. */
function nameWithId(row: FileRow): string {
  if (row.isFolder) return `${row.name} (${row.id})`;
  const title = titleOf(row.name);
  return `${title} (${row.id})${row.name.slice(title.length)}`;
}

/**
 * The folder tree of one record from its rows. S-Drive keeps names unique per folder, ignoring case, but
 * records written around it may not be: a second file of a name is shown with its id. Rows whose folder
 * is not among the rows (in progress, deleted, or a loop) are unreachable and left out.
 */
export function buildTree(rows: ReadonlyArray<FileRow>): SDriveNode {
  const root = nodeOf({ id: '', name: '', folderId: '', isFolder: true, size: -1, modifiedAt: undefined });
  const byFolder = new Map<string, FileRow[]>();
  for (const row of rows) {
    const key = id15(row.folderId);
    byFolder.set(key, [...(byFolder.get(key) ?? []), row]);
  }
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const inside = [...(byFolder.get(id15(dir.id)) ?? [])].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id));
    const taken = new Set<string>();
    for (const row of inside) {
      const plain = row.name.toLowerCase();
      const node = nodeOf(row, taken.has(plain) ? nameWithId(row) : row.name);
      taken.add(plain);
      dir.children.set(node.name, node);
      if (node.kind === 'dir') pending.push(node);
    }
  }
  return root;
}

/** A child by its shown name, exactly or else ignoring case, as S-Drive compares names. */
export function childNamed(dir: SDriveNode, name: string): SDriveNode | undefined {
  const exact = dir.children.get(name);
  if (exact !== undefined) return exact;
  const wanted = name.toLowerCase();
  return [...dir.children.values()].find((c) => c.name.toLowerCase() === wanted);
}

export function nodeAt(root: SDriveNode, segments: ReadonlyArray<string>): SDriveNode | undefined {
  let node: SDriveNode | undefined = root;
  for (const segment of segments) {
    if (node === undefined || node.kind !== 'dir') return undefined;
    node = childNamed(node, segment);
  }
  return node;
}
