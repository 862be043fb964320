import type { Prompt, PromptReply } from '../../src/shared/contract/models.js';
import styles from './PromptDialog.module.css';
import { ServerTrustDialog } from './ServerTrustDialog.js';

interface HostKeyDialogProps {
  readonly prompt: Extract<Prompt, { kind: 'hostKey' }>;
  readonly error: string | undefined;
  readonly answer: (reply: Extract<PromptReply, { kind: 'hostKey' }>) => void;
}

/**
 * An SSH server met for the first time: its key's fingerprint, to compare with the one its administrator
 * gives, and three answers — trust it from now on, connect this once, or do not connect. Closing the
 * dialog is "do not connect".
 */
export function HostKeyDialog({ prompt, error, answer }: HostKeyDialogProps) {
  const { host, port, keyType, fingerprint } = prompt.question;
  return (
    <ServerTrustDialog title={`Is this ${host}?`} error={error} answer={(choice) => answer({ kind: 'hostKey', answer: choice })}>
      <p>
        Ferry has not met the server at {host}:{port} before. Compare its key with the fingerprint the server’s administrator gave you: if they differ,
        someone may be between you and the server.
      </p>
      <dl className={styles.facts}>
        <dt>Fingerprint</dt>
        <dd className={styles.fingerprint}>{fingerprint}</dd>
        <dt>Key type</dt>
        <dd>{keyType}</dd>
      </dl>
      <p className="hint">“Trust and connect” remembers the key: Ferry will refuse this server if its key ever changes.</p>
    </ServerTrustDialog>
  );
}
