import { AlertTriangle } from 'lucide-react';
import type { ConnectionProblemView, TestOutcome } from '../../src/shared/contract/connectionModels.js';
import type { ServerReportView } from '../../src/shared/contract/models.js';
import { clockWords, tlsSessionReuseWords } from '../../src/shared/serverProbeWords.js';
import styles from './ServerReport.module.css';

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

/** What a tested server can do, in words a coordinator reads without knowing FTP commands. */
export function ServerReport({ report, title }: { readonly report: ServerReportView; readonly title: string }) {
  const { capabilities } = report;
  const tls = report.security !== undefined && /FTPS/.test(report.security);
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['Server', report.description],
    ['Security', report.security ?? 'Not encrypted'],
    ['Lists folders', 'Yes, checked just now'],
    ...(tls ? [['Encrypted file transfers', 'Yes, checked just now'] as const] : []),
    ...(report.tlsSessionReuse === undefined ? [] : [['TLS session reuse', tlsSessionReuseWords(report.tlsSessionReuse)] as const]),
    ...(report.clock === undefined ? [] : [['Server clock', clockWords(report.clock)] as const]),
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

/** Why a connection failed, what to do about it, and the server's own words for whoever runs it. */
export function ProblemReport({ problem, title }: { readonly problem: ConnectionProblemView; readonly title: string }) {
  return (
    <section aria-label={title} className={`${styles.report} ${styles.problem}`}>
      <h3 className={styles.title}>
        <AlertTriangle aria-hidden size={16} /> {title}
      </h3>
      <p className={styles.summary}>{problem.summary}</p>
      <p className={styles.advice}>{problem.advice}</p>
      <details>
        <summary>Details for the server’s administrator</summary>
        <p className={styles.features}>{problem.detail}</p>
      </details>
    </section>
  );
}

/** A test's outcome: the server's abilities, or the failure explained. */
export function TestOutcomeView({ outcome, name }: { readonly outcome: TestOutcome; readonly name: string }) {
  return outcome.outcome === 'connected' ? (
    <ServerReport title={`What ${name} supports`} report={outcome.report} />
  ) : (
    <ProblemReport title={`Testing ${name} failed`} problem={outcome.problem} />
  );
}
