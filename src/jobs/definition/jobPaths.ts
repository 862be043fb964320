import type { z } from 'zod';
import { parseLocation } from '../../cli/location.js';

/**
 * The paths a job names, each brought to the one form a run uses, or refused, when the job is read: what
 * the checks and the preview accept is then exactly what a run does. `./done/`, `done/` and `done` are
 * one folder; `..` may not leave the folder a path is below; a file name does not end in `/`.
 */
export type PathCheck = { readonly path: string } | { readonly problem: string };

/** A path below a folder of the job, and what it stands for, for the messages. */
export interface Below {
  /** A folder, a file (possibly in subfolders), or one name with no folders. */
  readonly names: 'folder' | 'file' | 'name';
  /** What the field is, as the messages say it: "a folder below the source folder". */
  readonly is: string;
}

/**
 * A path, possibly a name template, below a folder of the job (`after.source.moveTo`, `rename`, ...):
 * without `.` or empty segments, or the reason it cannot be used.
 */
export function pathBelow(text: string, below: Below): PathCheck {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being refused
  if (/[\u0000-\u001f\u007f]/.test(text)) return { problem: 'contains a control character' };
  if (text.includes('\\')) return { problem: 'contains "\\": folders are separated by "/"' };
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text)) return { problem: `is absolute, but it is ${below.is}` };
  const segments = segmentsOf(text);
  if (segments.includes('..')) return { problem: `has a ".." segment, but it is ${below.is}` };
  const kept = segments.filter((s) => s !== '' && s !== '.');
  if (kept.length === 0) return { problem: `names no ${below.names}: it is ${below.is}` };
  if (below.names !== 'folder' && segments.at(-1) === '') return { problem: `ends with "/", but it is ${below.is}` };
  if (below.names === 'name' && kept.length > 1) return { problem: `has a "/", but it is ${below.is}` };
  return { path: kept.join('/') };
}

/**
 * A location as a job writes it. On a connection (`partner:/outbox/./in/`) the path is brought to one
 * form (`partner:/outbox/in`) and may not climb out of the connection with `..`; a folder on this
 * machine is left to the operating system, which resolves it against the job file's folder.
 */
export function jobLocation(text: string): PathCheck {
  const location = parseLocation(text);
  if (location.kind === 'local') return { path: text };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being refused
  if (/[\u0000-\u001f\u007f]/.test(location.path)) return { problem: 'contains a control character' };
  const segments = segmentsOf(location.path);
  if (segments.includes('..')) return { problem: `has a ".." segment, but a path on the connection ${location.connection} stays inside it` };
  const kept = segments.filter((s) => s !== '' && s !== '.');
  return { path: `${location.connection}:${location.path.startsWith('/') ? '/' : ''}${kept.join('/')}` };
}

/** The schema of a path field: refused as `check` says, and read in the form it gives. */
export function pathField(schema: z.ZodString, check: (text: string) => PathCheck): z.ZodString {
  return schema
    .superRefine((text, ctx) => {
      const checked = check(text);
      if ('problem' in checked) ctx.addIssue({ code: 'custom', message: checked.problem });
    })
    .overwrite((text) => {
      const checked = check(text);
      return 'path' in checked ? checked.path : text;
    });
}

/** Splits at "/" outside placeholders, so that `{date:yyyy/MM}` stays one piece; `{{` is a literal brace. */
function segmentsOf(text: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const close = c === '{' && text.charAt(i + 1) !== '{' ? text.indexOf('}', i) : -1;
    if (close >= 0) {
      current += text.slice(i, close + 1);
      i = close;
    } else if (c === '{' && text.charAt(i + 1) === '{') {
      current += '{{';
      i++;
    } else if (c === '/') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments;
}
