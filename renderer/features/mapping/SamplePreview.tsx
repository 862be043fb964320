import type { ConnectionSummary } from '../../../src/shared/contract/models.js';
import type { PreviewRow } from '../../../src/shared/contract/mappingCommands.js';
import type { Preview, SampleForm } from '../../stores/mapping.js';
import styles from './PartnerFormats.module.css';

function SampleFields({ sample, connections, onChange }: { readonly sample: SampleForm; readonly connections: ReadonlyArray<ConnectionSummary>; readonly onChange: (sample: Partial<SampleForm>) => void }) {
  return (
    <fieldset className={styles.sample}>
      <legend>Sample</legend>
      <label className="field">
        <span id="mapping-sample-kind">Take it from</span>
        <select aria-labelledby="mapping-sample-kind" value={sample.kind} onChange={(e) => onChange({ kind: e.target.value === 'text' ? 'text' : 'file' })}>
          <option value="file">A file on a connection</option>
          <option value="text">Text I paste</option>
        </select>
      </label>
      {sample.kind === 'file' ? (
        <>
          <label className="field">
            <span id="mapping-sample-connection">Connection</span>
            <select aria-labelledby="mapping-sample-connection" value={sample.connection} onChange={(e) => onChange({ connection: e.target.value })}>
              <option value="">Choose a connection</option>
              {connections.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className={`field ${styles.grow}`}>
            <span id="mapping-sample-file">File</span>
            <input aria-labelledby="mapping-sample-file" value={sample.path} placeholder="inbox/orders.csv" onChange={(e) => onChange({ path: e.target.value })} />
          </label>
        </>
      ) : (
        <label className={`field ${styles.grow}`}>
          <span id="mapping-sample-text">Sample text</span>
          <textarea aria-labelledby="mapping-sample-text" rows={4} value={sample.text} placeholder="The partner's header line and a few rows" onChange={(e) => onChange({ text: e.target.value })} />
        </label>
      )}
    </fieldset>
  );
}

function RowsTable({ label, columns, rows, side }: { readonly label: string; readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<PreviewRow>; readonly side: 'before' | 'after' }) {
  return (
    // Focusable, so a keyboard can scroll a sample wider than the window.
    <div className={styles.tableScroll} role="region" aria-label={label} tabIndex={0}>
      <table className={`${styles.table} ${styles.rows}`} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Row</th>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const values = side === 'before' ? row.before : row.after;
            const marked = side === 'before' ? row.problem?.column : row.problem?.field;
            // After conversion, a problem that names no delivered column is shown across the row, after its number.
            const acrossRow = side === 'after' && row.problem !== undefined && (marked === undefined || !columns.includes(marked));
            return (
              <tr key={row.rowNumber} data-problem={row.problem === undefined ? undefined : 'true'}>
                <th scope="row">{row.rowNumber}</th>
                {acrossRow ? (
                  <td colSpan={Math.max(1, columns.length)} className={styles.badCell}>
                    {row.problem?.message}
                  </td>
                ) : (
                  columns.map((column) => {
                    const bad = marked === column;
                    return (
                      <td key={column} className={bad ? styles.badCell : undefined}>
                        {bad && side === 'after' ? row.problem?.message : (values?.[column] ?? '')}
                        {bad && side === 'before' && <span className={styles.visuallyHidden}> (this value: {row.problem?.message})</span>}
                      </td>
                    );
                  })
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export interface SamplePreviewProps {
  readonly sample: SampleForm;
  readonly connections: ReadonlyArray<ConnectionSummary>;
  readonly preview: Preview | undefined;
  readonly previewing: boolean;
  readonly error: string | undefined;
  readonly onSample: (sample: Partial<SampleForm>) => void;
}

function statusOf({ preview, previewing, error, sample }: Pick<SamplePreviewProps, 'preview' | 'previewing' | 'error' | 'sample'>): string {
  if (error !== undefined) return error;
  if (previewing) return 'Converting the sample…';
  if (preview === undefined) return sample.kind === 'file' ? 'Choose a connection and a sample file of the partner to see it before and after conversion.' : 'Paste a few lines of a partner file to see them before and after conversion.';
  if (preview.profileProblems.length > 0) return 'Correct the marked fields to see the sample converted.';
  const bad = preview.rows.filter((row) => row.problem !== undefined).length;
  const shown = `${preview.rows.length} ${preview.rows.length === 1 ? 'row' : 'rows'} of ${preview.sample}${preview.partial ? ' (its first megabyte)' : ''}`;
  return bad === 0 ? `${shown}: every row converts.` : `${shown}: ${bad} ${bad === 1 ? 'row has a problem' : 'rows have problems'}, marked where they are.`;
}

/** A real sample of the partner before and after the draft's conversion, with each row's problem in place. */
export function SamplePreview(props: SamplePreviewProps) {
  const { preview } = props;
  const converted = preview !== undefined && preview.profileProblems.length === 0;
  return (
    <section className={styles.preview} aria-labelledby="mapping-preview-title">
      <h2 id="mapping-preview-title" className={styles.h2}>
        Preview
      </h2>
      <SampleFields sample={props.sample} connections={props.connections} onChange={props.onSample} />
      <p role="status" className={props.error === undefined ? styles.note : styles.problem}>
        {statusOf(props)}
      </p>
      {converted && preview.sampleProblems.length > 0 && (
        <ul className={styles.problems} aria-label="Problems of the sample">
          {preview.sampleProblems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {converted && preview.rows.length > 0 && (
        <div className={styles.sides}>
          <h3 className={styles.h3}>Before conversion</h3>
          <RowsTable label="Sample before conversion" columns={preview.before} rows={preview.rows} side="before" />
          <h3 className={styles.h3}>After conversion</h3>
          <RowsTable label="Sample after conversion" columns={preview.after} rows={preview.rows} side="after" />
        </div>
      )}
    </section>
  );
}
