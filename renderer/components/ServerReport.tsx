import type { ServerReportView } from '../../src/shared/contract/models.js';
import styles from './ServerReport.module.css';

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

/** What a tested server can do, in words a coordinator reads without knowing FTP commands. */
export function ServerReport({ report, title }: { readonly report: ServerReportView; readonly title: string }) {
  const { capabilities } = report;
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['Server', report.description],
    ['Security', report.security ?? 'Not encrypted'],
    ['Resumes a transfer that stopped', yesNo(capabilities.resume)],
    ['Renames files in place', yesNo(capabilities.rename)],
    ['Keeps file times', yesNo(capabilities.keepsTimes)],
    ['Checks files by hash', capabilities.hashes.length === 0 ? 'No' : capabilities.hashes.map((h) => h.toUpperCase()).join(', ')],
    ['Connections at once', String(capabilities.maxConcurrency)],
  ];
  return (
    <section aria-label={title} className={styles.report}>
      <h3 className={styles.title}>{title}</h3>
      <dl className={styles.list}>
        {rows.map(([term, value]) => (
          <div key={term} className={styles.row}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {report.banner !== undefined && <pre className={styles.banner}>{report.banner}</pre>}
      {report.features.length > 0 && (
        <details>
          <summary>What the server announced ({report.features.length})</summary>
          <p className={styles.features}>{report.features.join(' · ')}</p>
        </details>
      )}
    </section>
  );
}
