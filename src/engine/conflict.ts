import { TransferError } from '../connectors/errors.js';
import { assertNever } from '../shared/util/assertNever.js';
import type { RemoteEntry } from '../connectors/types.js';

export const CONFLICT_POLICIES = ['changed', 'overwrite', 'skip', 'rename', 'newer', 'resume'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

export type CopyDecision =
  | { readonly kind: 'copy'; readonly targetPath: string; readonly mode: 'new' | 'replace' }
  | { readonly kind: 'append'; readonly targetPath: string; readonly offset: number }
  | { readonly kind: 'skip'; readonly reason: string };

export interface ConflictInput {
  readonly source: RemoteEntry;
  readonly targetPath: string;
  readonly existing: RemoteEntry | undefined;
  /** Coarsest modification-time precision of the two sides, in ms (FTP and SFTP: whole seconds). */
  readonly mtimeToleranceMs: number;
  /** Finds a free name next to the target for the 'rename' policy. */
  readonly freeName: (targetPath: string) => Promise<string>;
}

/**
 * Decides what to do with one file whose target may exist (Cyberduck's transfer filters, rclone's
 * "changed" default). Pure apart from `freeName`.
 */
export async function decide(policy: ConflictPolicy, input: ConflictInput): Promise<CopyDecision> {
  const { source, targetPath, existing } = input;
  if (existing === undefined) return { kind: 'copy', targetPath, mode: 'new' };
  if (existing.kind === 'dir') return { kind: 'skip', reason: 'a folder with that name exists on the target' };
  switch (policy) {
    case 'overwrite':
      return { kind: 'copy', targetPath, mode: 'replace' };
    case 'skip':
      return { kind: 'skip', reason: 'the target exists' };
    case 'changed':
      return sameSizeAndTime(source, existing, input.mtimeToleranceMs)
        ? { kind: 'skip', reason: 'the target has the same size and modification time' }
        : { kind: 'copy', targetPath, mode: 'replace' };
    case 'newer':
      if (source.modifiedAt === undefined || existing.modifiedAt === undefined) {
        return { kind: 'skip', reason: 'modification times are unknown, so "newer" cannot be judged' };
      }
      return source.modifiedAt > existing.modifiedAt + input.mtimeToleranceMs
        ? { kind: 'copy', targetPath, mode: 'replace' }
        : { kind: 'skip', reason: 'the target is not older than the source' };
    case 'rename':
      return { kind: 'copy', targetPath: await input.freeName(targetPath), mode: 'new' };
    case 'resume':
      if (source.size >= 0 && existing.size === source.size) {
        return { kind: 'skip', reason: 'the target is already complete (same size)' };
      }
      if (source.size >= 0 && existing.size < source.size && existing.size >= 0) {
        return { kind: 'append', targetPath, offset: existing.size };
      }
      return { kind: 'copy', targetPath, mode: 'replace' };
    default:
      return assertNever(policy, 'conflict policy');
  }
}

function sameSizeAndTime(a: RemoteEntry, b: RemoteEntry, toleranceMs: number): boolean {
  if (a.size !== b.size) return false;
  if (a.modifiedAt === undefined || b.modifiedAt === undefined) return true;
  return Math.abs(a.modifiedAt - b.modifiedAt) <= toleranceMs;
}

/** `report.pdf` → `report (1).pdf`, `report (2).pdf`, … as desktop file managers do. */
export function numberedName(path: string, n: number): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${dir}${stem} (${n})${ext}`;
}

/** The first of `name (1).ext`, `name (2).ext`, … next to `path` that `taken` says is free. */
export async function firstFreeName(path: string, taken: (candidate: string) => Promise<boolean>): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const candidate = numberedName(path, n);
    if (!(await taken(candidate))) return candidate;
  }
  throw new TransferError('exists', `No free name found next to ${path}`, { path });
}
