import { TransferError } from '../connectors/errors.js';
import { assertNever } from '../shared/util/assertNever.js';
import type { RemoteEntry, RemoteFs } from '../connectors/types.js';
import type { ConflictAnswer, ConflictQuestion } from '../shared/contract/models.js';
import { sameFile, type FileSide, type SameFileOptions } from './sameFile.js';

export const CONFLICT_POLICIES = ['changed', 'overwrite', 'skip', 'rename', 'newer', 'resume'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** A person's choice for one file whose target exists; undefined when nobody answered. */
export type ChooseConflict = (question: ConflictQuestion, signal: AbortSignal) => Promise<ConflictAnswer | undefined>;

/** The window's "ask": a person chooses a policy for each file whose target exists. */
export interface AskPerson {
  readonly kind: 'ask';
  readonly choose: ChooseConflict;
}

export type ConflictRule = ConflictPolicy | AskPerson;

export type CopyDecision =
  | { readonly kind: 'copy'; readonly targetPath: string; readonly mode: 'new' | 'replace'; readonly reason: string }
  | { readonly kind: 'append'; readonly targetPath: string; readonly offset: number; readonly reason: string }
  | { readonly kind: 'skip'; readonly reason: string };

export interface ConflictInput {
  readonly source: FileSide;
  readonly target: RemoteFs;
  readonly targetPath: string;
  readonly existing: RemoteEntry | undefined;
  /** How "the target is already this file" is judged (`sameFile`). */
  readonly compare: SameFileOptions;
  /** Finds a free name next to the target for the 'rename' policy. */
  readonly freeName: (targetPath: string) => Promise<string>;
}

/**
 * Decides what to do with one file whose target may exist (Cyberduck's transfer filters, rclone's
 * "changed" default), and says why. Every policy that asks whether the target already is the source
 * asks `sameFile`, so copy, move and jobs share one answer.
 */
export async function decide(policy: ConflictPolicy, input: ConflictInput): Promise<CopyDecision> {
  const { source, targetPath, existing } = input;
  if (existing === undefined) return { kind: 'copy', targetPath, mode: 'new', reason: 'new file' };
  if (existing.kind === 'dir') return { kind: 'skip', reason: 'a folder with that name exists on the target' };
  const replace = (reason: string): CopyDecision => ({ kind: 'copy', targetPath, mode: 'replace', reason });
  switch (policy) {
    case 'overwrite':
      return replace('overwrite: the target is replaced');
    case 'skip':
      return { kind: 'skip', reason: 'the target exists' };
    case 'changed': {
      const same = await sameFile(source, { fs: input.target, entry: existing }, input.compare);
      return same.same ? { kind: 'skip', reason: `unchanged: ${same.reason}` } : replace(`changed: ${same.reason}`);
    }
    case 'newer': {
      const at = source.entry.modifiedAt;
      if (at === undefined || existing.modifiedAt === undefined) {
        return { kind: 'skip', reason: 'modification times are unknown, so "newer" cannot be judged' };
      }
      return at > existing.modifiedAt + input.compare.toleranceMs
        ? replace('newer: the source is newer than the target')
        : { kind: 'skip', reason: 'the target is not older than the source' };
    }
    case 'rename':
      return { kind: 'copy', targetPath: await input.freeName(targetPath), mode: 'new', reason: 'the target exists: sent under a new name' };
    case 'resume': {
      const size = source.entry.size;
      if (size >= 0 && existing.size >= 0 && existing.size < size) {
        return { kind: 'append', targetPath, offset: existing.size, reason: `resume after byte ${existing.size}` };
      }
      const same = await sameFile(source, { fs: input.target, entry: existing }, input.compare);
      if (same.same) return { kind: 'skip', reason: `already complete: ${same.reason}` };
      // Not an interrupted copy of this source: resuming would damage it, and replacing it is not what was asked.
      throw new TransferError('exists', `${targetPath} is not an interrupted copy of ${source.entry.path} (${same.reason}): it was left as it is; use overwrite or rename to replace it or keep both`, {
        path: source.entry.path,
      });
    }
    default:
      return assertNever(policy, 'conflict policy');
  }
}

/**
 * Asks about a file whose target is a file, then decides by the answer as that policy would. Nothing
 * is asked about a new file or a folder in the way; an unanswered question skips the file, because
 * only a person's answer may replace what is there.
 */
export async function decideAsking(choose: ChooseConflict, input: ConflictInput, signal: AbortSignal): Promise<CopyDecision> {
  const { existing } = input;
  if (existing?.kind !== 'file') return decide('skip', input);
  const answer = await choose(conflictQuestion(input, existing), signal);
  if (answer === undefined) return { kind: 'skip', reason: 'the target exists and nobody answered whether to replace it' };
  return decide(answer, input);
}

function conflictQuestion(input: ConflictInput, existing: RemoteEntry): ConflictQuestion {
  const side = (where: string, entry: RemoteEntry): ConflictQuestion['source'] => ({
    where,
    path: entry.path,
    name: entry.name,
    size: entry.size,
    ...(entry.modifiedAt === undefined ? {} : { modifiedAt: entry.modifiedAt }),
  });
  return { source: side(input.source.fs.description, input.source.entry), target: side(input.target.description, existing) };
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
