import { useState, type FormEvent } from 'react';
import { ProblemReport } from '../../components/ServerReport.js';
import styles from '../ConnectionsScreen.module.css';
import { useSlice, useStores } from '../StoresContext.js';

type Login = 'production' | 'sandbox' | 'custom' | 'localSandbox';

const LOGINS: ReadonlyArray<readonly [Login, string]> = [
  ['production', 'Production (login.salesforce.com)'],
  ['sandbox', 'A Salesforce sandbox (test.salesforce.com)'],
  ['custom', 'My Domain'],
  ['localSandbox', 'Use the local sandbox (the demo org)'],
];

/**
 * Signs in to a Salesforce org in the browser (OAuth with PKCE): the desktop app opens the system
 * browser, the web window shows the page's link; the host says when the sign-in finished.
 */
export function SalesforceSignIn({ initialName, onDone }: { readonly initialName?: string; readonly onDone: () => void }) {
  const { connections } = useStores();
  const [name, setName] = useState(initialName ?? '');
  const [login, setLogin] = useState<Login>('production');
  const [started, setStarted] = useState<{ readonly name: string; readonly url: string; readonly opened: boolean } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const progress = useSlice(connections, (s) => (started === undefined ? undefined : s.signIns.get(started.name)));

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const loginUrl = data.get('loginUrl');
    setBusy(true);
    setError(undefined);
    const answer = await connections.getState().signIn({
      name: name.trim(),
      login,
      sdrive: data.get('files') === 'sdrive',
      ...(login === 'custom' && typeof loginUrl === 'string' ? { loginUrl } : {}),
    });
    setBusy(false);
    if (!answer.ok) return setError(answer.error.message);
    setStarted({ name: name.trim(), ...answer.value });
  };

  if (started !== undefined) {
    return (
      <section className={styles.card} aria-label="Salesforce sign-in">
        <h2 className={styles.cardTitle}>Signing in to Salesforce as {started.name}</h2>
        {progress?.state === 'connected' ? (
          <p role="status">Signed in: {started.name} is saved and answers.</p>
        ) : progress?.state === 'failed' ? (
          <ProblemReport title="The sign-in failed" problem={progress.problem} />
        ) : started.opened ? (
          <p role="status">Finish signing in in the browser window that opened. Ferry waits up to two minutes.</p>
        ) : (
          <p role="status">
            <a href={started.url} target="_blank" rel="noopener noreferrer" className="button primary">
              Open the Salesforce sign-in page
            </a>{' '}
            Sign in there; Ferry waits up to two minutes and then shows the org here.
          </p>
        )}
        <div className={styles.formActions}>
          <button type="button" className="button" onClick={onDone}>
            {progress?.state === 'connected' ? 'Done' : 'Close'}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form className={styles.card} aria-label="Sign in to Salesforce" onSubmit={(e) => void submit(e)}>
      <h2 className={styles.cardTitle}>Sign in to Salesforce</h2>
      <div className={styles.grid}>
        <label className="field">
          Name
          <input name="name" required value={name} onChange={(e) => setName(e.target.value)} placeholder="salesforce-prod" spellCheck={false} />
        </label>
        <fieldset className={styles.choices}>
          <legend>Where to sign in</legend>
          {LOGINS.map(([value, label]) => (
            <label key={value}>
              <input type="radio" name="login" value={value} checked={login === value} onChange={() => setLogin(value)} />
              {label}
            </label>
          ))}
        </fieldset>
        {login === 'custom' && (
          <label className="field">
            My Domain address
            <input name="loginUrl" required placeholder="acme.my.salesforce.com" spellCheck={false} />
          </label>
        )}
        <fieldset className={styles.choices}>
          <legend>Files are kept in</legend>
          <label>
            <input type="radio" name="files" value="files" defaultChecked />
            Salesforce Files
          </label>
          <label>
            <input type="radio" name="files" value="sdrive" />
            S-Drive
          </label>
        </fieldset>
      </div>
      {error !== undefined && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <div className={styles.formActions}>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Starting…' : 'Sign in in the browser'}
        </button>
      </div>
      <p className={styles.hint}>Ferry never sees your Salesforce password: you sign in on Salesforce’s own page, and Ferry keeps only a token, in its secret store.</p>
    </form>
  );
}
