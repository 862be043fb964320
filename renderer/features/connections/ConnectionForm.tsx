import { useEffect, useState, type FormEvent } from 'react';
import type { EditableConnection, TestOutcome } from '../../../src/shared/contract/connectionModels.js';
import type { CommandInput } from '../../../src/shared/contract/commands.js';
import { ServerReport, TestOutcomeView } from '../../components/ServerReport.js';
import styles from '../ConnectionsScreen.module.css';
import { useStores } from '../StoresContext.js';

type Auth = 'password' | 'key' | 'agent';
type Fields = CommandInput<'connections.probe'>;
type Action = 'probe' | 'save' | 'testAndSave';

/** Empty fields are left out: an empty password on an edit keeps the stored one. */
function fieldsOf(form: HTMLFormElement, name: string, url: string, auth: Auth, tls: boolean): Fields {
  const data = new FormData(form);
  const text = (key: string): string | undefined => {
    const value = data.get(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const secret = auth === 'password' ? { password: text('password') } : auth === 'key' ? { keyFile: text('keyFile'), password: text('passphrase') } : { agent: true };
  const defined = Object.fromEntries(Object.entries({ ...secret, tlsFingerprint: tls ? text('fingerprint') : undefined }).filter(([, v]) => v !== undefined));
  return { name, url: url.trim(), ...defined };
}

/**
 * A new connection, or a saved one's settings. "Test" tries the settings as they stand without saving;
 * "Test and save" saves only a server that answers; editing never shows the stored password, and
 * leaving it empty keeps it.
 */
export function ConnectionForm({ editing, onDone }: { readonly editing?: string; readonly onDone: () => void }) {
  const { connections } = useStores();
  const [loaded, setLoaded] = useState<EditableConnection | undefined>(undefined);
  const [name, setName] = useState(editing ?? '');
  const [url, setUrl] = useState('');
  const [auth, setAuth] = useState<Auth>('password');
  const [busy, setBusy] = useState<Action | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<TestOutcome | undefined>(undefined);
  const [saved, setSaved] = useState<Extract<TestOutcome, { outcome: 'connected' }> | undefined>(undefined);
  const tls = /^ftpe?s:\/\//i.test(url.trim());
  const ftp = /^ftp/i.test(url.trim());
  const title = editing === undefined ? 'New connection' : `Edit ${editing}`;

  useEffect(() => {
    if (editing === undefined) return;
    void connections
      .getState()
      .get(editing)
      .then((answer) => {
        if (!answer.ok) {
          setError(answer.error.message);
          return;
        }
        setLoaded(answer.value);
        setUrl(answer.value.url);
        const signIn = answer.value.signIn;
        setAuth(signIn === 'key' || signIn === 'agent' ? signIn : 'password');
      });
  }, [connections, editing]);

  const run = async (event: FormEvent<HTMLFormElement>, action: Action): Promise<void> => {
    const fields = fieldsOf(event.currentTarget, name.trim(), url, ftp ? 'password' : auth, tls);
    setBusy(action);
    setError(undefined);
    setOutcome(undefined);
    const store = connections.getState();
    try {
      let tested: TestOutcome | undefined;
      if (action !== 'save') {
        const probe = await store.probe(fields);
        if (!probe.ok) return setError(probe.error.message);
        tested = probe.value;
        setOutcome(tested);
        if (action === 'probe' || tested.outcome === 'failed') return;
      }
      const answer = await (editing === undefined ? store.add({ ...fields, test: false }) : store.edit({ ...fields, test: false }));
      if (!answer.ok) return setError(answer.error.message);
      if (tested === undefined) onDone();
      else if (tested.outcome === 'connected') setSaved(tested);
    } finally {
      setBusy(undefined);
    }
  };

  if (saved !== undefined) {
    return (
      <div className={styles.card}>
        <ServerReport title={`${name} answered and was saved`} report={saved.report} />
        <div className={styles.formActions}>
          <button type="button" className="button primary" autoFocus onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );
  }

  const storedHint = loaded?.secretStored === true ? 'A password is stored: leave empty to keep it' : undefined;
  return (
    <form
      className={styles.card}
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        const value = event.nativeEvent.submitter?.getAttribute('value');
        void run(event, value === 'probe' ? 'probe' : value === 'untested' ? 'save' : 'testAndSave');
      }}
    >
      <h2 className={styles.cardTitle}>{title}</h2>
      <div className={styles.grid}>
        <label className="field">
          Name
          <input name="name" required value={name} readOnly={editing !== undefined} onChange={(e) => setName(e.target.value)} placeholder="partner-sftp" spellCheck={false} />
        </label>
        <label className="field">
          Address
          <input name="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="sftp://user@files.partner.com/outbox" spellCheck={false} />
          <span className="hint">sftp://, ftpes:// (FTP with TLS), ftps://, ftp:// or file:///folder</span>
        </label>
        {!ftp && (
          <label className="field">
            Sign in with
            <select value={auth} onChange={(e) => setAuth(e.target.value as Auth)}>
              <option value="password">Password</option>
              <option value="key">Private key file (SFTP)</option>
              <option value="agent">SSH agent (SFTP)</option>
            </select>
          </label>
        )}
        {(ftp || auth === 'password') && (
          <label className="field">
            Password
            <input name="password" type="password" autoComplete="off" placeholder={storedHint} />
            {storedHint !== undefined && <span className="hint">{storedHint}.</span>}
          </label>
        )}
        {!ftp && auth === 'key' && (
          <>
            <label className="field">
              Key file on this computer
              <input name="keyFile" defaultValue={loaded?.keyFile} placeholder="/home/me/.ssh/id_ed25519" spellCheck={false} />
            </label>
            <label className="field">
              Key passphrase, if it has one
              <input name="passphrase" type="password" autoComplete="off" placeholder={loaded?.secretStored === true ? 'Stored: leave empty to keep it' : undefined} />
            </label>
          </>
        )}
        {tls && (
          <label className="field">
            Certificate fingerprint (SHA-256)
            <input name="fingerprint" defaultValue={loaded?.tlsFingerprint} placeholder="AB:CD:…" spellCheck={false} />
            <span className="hint">Only for a server whose certificate no authority signed.</span>
          </label>
        )}
      </div>
      {error !== undefined && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {outcome !== undefined && <TestOutcomeView outcome={outcome} name={name.trim() === '' ? 'the server' : name.trim()} />}
      <div className={styles.formActions}>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" value="probe" className="button" disabled={busy !== undefined}>
          {busy === 'probe' ? 'Testing…' : 'Test'}
        </button>
        <button type="submit" value="untested" className="button" disabled={busy !== undefined}>
          Save without testing
        </button>
        <button type="submit" value="tested" className="button primary" disabled={busy !== undefined}>
          {busy === 'testAndSave' ? 'Testing…' : 'Test and save'}
        </button>
      </div>
      <p className={styles.hint}>Test tries these settings without saving them. Test and save saves only a server that answers.</p>
    </form>
  );
}
