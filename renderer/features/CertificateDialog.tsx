import type { Prompt, PromptReply } from '../../src/shared/contract/models.js';
import styles from './PromptDialog.module.css';
import { ServerTrustDialog } from './ServerTrustDialog.js';

interface CertificateDialogProps {
  readonly prompt: Extract<Prompt, { kind: 'certificate' }>;
  readonly error: string | undefined;
  readonly answer: (reply: Extract<PromptReply, { kind: 'certificate' }>) => void;
}

/**
 * An FTPS server whose certificate nothing vouches for (self-signed, an unknown authority, expired, or
 * issued for another name): why, in words, and what it is, to compare with what the server's
 * administrator gives. Closing the dialog is "do not connect".
 */
export function CertificateDialog({ prompt, error, answer }: CertificateDialogProps) {
  const { host, port, subject, issuer, validFrom, validTo, fingerprint, problems } = prompt.question;
  return (
    <ServerTrustDialog title={`Trust the certificate of ${host}?`} error={error} answer={(choice) => answer({ kind: 'certificate', answer: choice })}>
      <p>
        Ferry cannot verify the certificate of {host}:{port}. Compare its fingerprint with the one the server’s administrator gave you: if they
        differ, someone may be between you and the server.
      </p>
      <ul className={styles.problems} aria-label="Why it is not trusted">
        {problems.map((problem) => (
          <li key={problem}>{sentence(problem)}</li>
        ))}
      </ul>
      <dl className={styles.facts}>
        <dt>SHA-256 fingerprint</dt>
        <dd className={styles.fingerprint}>{fingerprint}</dd>
        <dt>Issued to</dt>
        <dd>{subject}</dd>
        <dt>Issued by</dt>
        <dd>{issuer}</dd>
        <dt>Valid from</dt>
        <dd>{validFrom}</dd>
        <dt>Valid until</dt>
        <dd>{validTo}</dd>
      </dl>
      <p className="hint">
        “Trust and connect” remembers the fingerprint in this connection’s settings: Ferry will refuse the server if its certificate ever changes.
      </p>
    </ServerTrustDialog>
  );
}

/** "it is self-signed" → "It is self-signed." */
function sentence(problem: string): string {
  return `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
}
