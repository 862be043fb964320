import { describe, expect, it } from 'vitest';
import { editJobText, JobTextUnreadable, jobTextValue } from '../../../src/shared/jobs/editJobText.js';

const JOB = `# Orders from the partner, every weekday.
version: 1
name: partner-orders   # used in history
description: >-
  Orders the partner drops into its outbox go to the ERP, one folder per partner; the folded lines of
  this text stay exactly as they were written.
source:
  location: partner-sftp:/outbox   # their SFTP server
  include: ['*.csv', '*.CSV']
  # files the partner is still writing are never taken

# checks every order file must pass
validate:
  csv:
    columns:
      - { name: order_id, type: integer, required: true }
routes:
  - name: erp
    to: ./erp-inbound/   # the ERP's folder
    # more routes go below
# end of the job
`;

/** The lines of `after` that are not lines of `before`, and the reverse: what an edit changed. */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((line) => !a.includes(line)), removed: a.filter((line) => !b.includes(line)) };
}

describe('a form edit of a job text', () => {
  it('replaces a scalar where it stands, keeping its comment and every other line', () => {
    const edited = editJobText(JOB, ['source', 'location'], 'partner-ftp:/orders');
    expect(changedLines(JOB, edited)).toEqual({ added: ['  location: partner-ftp:/orders   # their SFTP server'], removed: ['  location: partner-sftp:/outbox   # their SFTP server'] });
  });

  it('quotes a value that plain YAML would misread, in a block and inside braces', () => {
    expect(jobTextValue(editJobText(JOB, ['name'], 'a: b'))).toMatchObject({ value: { name: 'a: b' } });
    const inBraces = editJobText(JOB, ['validate', 'csv', 'columns', 0, 'name'], 'id, number');
    expect(jobTextValue(inBraces)).toMatchObject({ value: { validate: { csv: { columns: [{ name: 'id, number', type: 'integer' }] } } } });
  });

  it('adds a field at the end of its map, at its indentation, and a new section at the end of the job', () => {
    const recursive = editJobText(JOB, ['source', 'recursive'], true);
    expect(changedLines(JOB, recursive)).toEqual({ added: ['  recursive: true'], removed: [] });
    expect(recursive.indexOf('  recursive: true')).toBeLessThan(recursive.indexOf('# files the partner is still writing'));

    const scheduled = editJobText(JOB, ['schedule', 'cron'], '0 7 * * 1-5');
    expect(changedLines(JOB, scheduled)).toEqual({ added: ['schedule:', '  cron: 0 7 * * 1-5'], removed: [] });
    expect(jobTextValue(scheduled)).toMatchObject({ value: { schedule: { cron: '0 7 * * 1-5' } } });
  });

  it('adds a field to a route of a list', () => {
    const edited = editJobText(JOB, ['routes', 0, 'conflict'], 'skip');
    expect(changedLines(JOB, edited)).toEqual({ added: ['    conflict: skip'], removed: [] });
  });

  it('removes a field with its own lines only', () => {
    const edited = editJobText(JOB, ['source', 'include'], undefined);
    expect(changedLines(JOB, edited)).toEqual({ added: [], removed: ["  include: ['*.csv', '*.CSV']"] });
  });

  it('rewrites only the section of a structural change, and keeps the comments around it', () => {
    const edited = editJobText(JOB, ['routes', 1], { name: 'archive', to: './archive/' });
    const value = jobTextValue(edited);
    expect(value).toMatchObject({ value: { routes: [{ name: 'erp' }, { name: 'archive', to: './archive/' }] } });
    for (const comment of ['# Orders from the partner, every weekday.', '# used in history', '# their SFTP server', '# checks every order file must pass', "# the ERP's folder", '# end of the job']) {
      expect(edited).toContain(comment);
    }
    const order = ['version:', 'name:', 'description:', 'source:', 'validate:', 'routes:'].map((key) => edited.indexOf(`\n${key}`) + 1 || edited.indexOf(key));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(edited.slice(0, edited.indexOf('routes:'))).toBe(JOB.slice(0, JOB.indexOf('routes:')));
  });

  it('refuses to edit a text that does not parse, and says so', () => {
    expect(() => editJobText('name: [unclosed\n', ['name'], 'x')).toThrow(JobTextUnreadable);
    expect(jobTextValue('name: [unclosed\n')).toHaveProperty('unreadable');
  });
});
