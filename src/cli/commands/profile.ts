import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readUserFile } from '../../config/readUserFile.js';
import { TransferError } from '../../connectors/errors.js';
import type { PartnerProfile } from '../../mapping/profile.js';
import type { Row } from '../../mapping/records.js';
import { print, printJson, type CliIo } from '../io.js';
import type { CopyOutcome } from './copy.js';

const DIRECTIONS = ['inbound', 'outbound'] as const;
type Direction = (typeof DIRECTIONS)[number];

/** Widest a table cell is shown; longer values end in "…". */
const CELL_WIDTH = 32;

interface TestOptions {
  readonly direction?: string;
  readonly rows: string;
  readonly json?: boolean;
}

/**
 * `ferry profile test`: maps a partner's sample file with a profile, exactly as a job would, and shows the
 * first mapped rows and every problem, so that a profile is proven on real data before it goes live.
 */
export function registerProfileCommands(program: Command, io: CliIo, outcome: CopyOutcome): void {
  const profile = program.command('profile').description("partner profiles: try one on a partner's sample before it goes live");

  profile
    .command('test <profile> <sample>')
    .description('map a sample file with a profile: the first mapped rows and every problem, with its row and field (exit code 1 when there are problems)')
    .option('--direction <direction>', 'inbound (partner format → internal) or outbound (internal → partner format); default: inbound when the profile has it')
    .option('--rows <n>', 'mapped rows to show', '10')
    .option('--json', 'print JSON')
    .action(async (profileFile: string, sampleFile: string, opts: TestOptions) => {
      const limit = Number(opts.rows);
      if (!Number.isInteger(limit) || limit < 1) throw new TransferError('config', '--rows takes a whole number from 1');
      const profilePath = resolve(profileFile);
      const partner = await loadProfile(profilePath);
      const direction = chooseDirection(partner, opts.direction, profilePath);
      const conversion = partner[direction];
      if (conversion === undefined) throw new TransferError('config', `The partner profile ${profilePath} has no ${direction} conversion`);
      const samplePath = resolve(sampleFile);
      const info = await stat(samplePath).catch(() => undefined);
      if (info === undefined || !info.isFile()) throw new TransferError('notFound', `No such sample file: ${samplePath}`);

      const { previewConversion } = await import('../../mapping/profile.js');
      const { rows, errors } = await previewConversion(samplePath, conversion, new Date(), limit);
      outcome.anyFailed = errors.length > 0;
      if (opts.json === true) {
        printJson(io, { profile: profilePath, partner: partner.partner, direction, sample: samplePath, rows, problems: errors });
        return;
      }
      print(io, `${partner.partner}, ${direction} (${direction === 'inbound' ? 'partner format → internal' : 'internal → partner format'}): ${sampleFile}`);
      print(io);
      if (rows.length === 0) print(io, 'No row of the sample could be mapped.');
      else {
        for (const line of table(rows)) print(io, line);
        print(io);
        const shown = `${rows.length} mapped row${rows.length === 1 ? '' : 's'}${rows.length === limit ? ` (the first ${limit}; --rows shows more)` : ''}`;
        print(io, `${shown}${errors.length > 0 ? ', rows with problems left out' : ''}.`);
      }
      if (errors.length === 0) {
        print(io, `No problems: ${sampleFile} maps cleanly with ${partner.partner}'s ${direction} conversion.`);
        return;
      }
      print(io);
      // Rows are numbered as the mapping sees them: the first data row is row 1, whatever header lines precede it.
      print(io, `${errors.length} problem${errors.length === 1 ? '' : 's'}${errors.length >= 100 ? ' (the first 100)' : ''}, rows counted from the first data row:`);
      for (const error of errors) print(io, `  ${error}`);
    });
}

async function loadProfile(path: string): Promise<PartnerProfile> {
  const text = (await readUserFile(path, 'partner profile')).toString('utf8');
  const { parse: parseYaml } = await import('yaml');
  const { parseProfile, ProfileError } = await import('../../mapping/profile.js');
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new TransferError('config', `The partner profile ${path} is not valid YAML: ${(e as Error).message}`);
  }
  try {
    return parseProfile(value, path);
  } catch (e) {
    if (e instanceof ProfileError) throw new TransferError('config', e.message);
    throw e;
  }
}

function chooseDirection(profile: PartnerProfile, asked: string | undefined, path: string): Direction {
  if (asked !== undefined) {
    const direction = DIRECTIONS.find((d) => d === asked);
    if (direction === undefined) throw new TransferError('config', `--direction takes inbound or outbound, not "${asked}"`);
    return direction;
  }
  if (profile.inbound !== undefined) return 'inbound';
  if (profile.outbound !== undefined) return 'outbound';
  throw new TransferError('config', `The partner profile ${path} has neither an inbound nor an outbound conversion`);
}

/** Rows as aligned text columns under their names; line breaks and tabs in values are shown as spaces. */
function table(rows: ReadonlyArray<Row>): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string): string => {
    const flat = value.replace(/[\r\n\t]/g, ' ');
    const chars = Array.from(flat);
    return chars.length > CELL_WIDTH ? `${chars.slice(0, CELL_WIDTH - 1).join('')}…` : flat;
  };
  const cells = rows.map((row) => columns.map((column) => cell(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(Array.from(cell(column)).length, ...cells.map((line) => Array.from(line[i] ?? '').length)));
  const line = (values: ReadonlyArray<string>): string =>
    values
      .map((value, i) => value + ' '.repeat(Math.max(0, (widths[i] ?? 0) - Array.from(value).length)))
      .join('  ')
      .trimEnd();
  return [line(columns.map(cell)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}
