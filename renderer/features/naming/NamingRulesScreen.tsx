import { Save } from 'lucide-react';
import { useEffect, useId } from 'react';
import { NAMING_TYPED_NAMES } from '../../../src/shared/contract/namingCommands.js';
import { KNOWN_OBJECTS, objectLook } from '../../components/salesforceObjects.js';
import { canTry, routeKey, type NamingDraft } from '../../stores/naming.js';
import { connectionLabel } from '../../stores/panes.js';
import { useSlice, useStores } from '../StoresContext.js';
import { NamingCostLine } from './NamingCostLine.js';
import { NamingResultGrid } from './NamingResultGrid.js';
import { RuleProblem } from './RuleProblem.js';
import styles from './NamingRulesScreen.module.css';

/** Typing pauses this long before the rule is tried, so a rule typed quickly costs one lookup. */
const TRY_PAUSE_MS = 300;

/**
 * The naming-rule editor: a rule as a job's `attachBy` holds it, tried live on a folder's real file names
 * and on typed ones, showing what each name captures and the record it would be attached to.
 */
export function NamingRulesScreen() {
  const { naming, connections } = useStores();
  const ids = { rule: useId(), problem: useId(), hint: useId(), typed: useId(), typedHint: useId() };
  const rule = useSlice(naming, (s) => s.rule);
  const target = useSlice(naming, (s) => s.target);
  const source = useSlice(naming, (s) => s.source);
  const typed = useSlice(naming, (s) => s.typed);
  const result = useSlice(naming, (s) => s.result);
  const trying = useSlice(naming, (s) => s.trying);
  const error = useSlice(naming, (s) => s.error);
  const routes = useSlice(naming, (s) => s.routes);
  const unreadable = useSlice(naming, (s) => s.unreadable);
  const route = useSlice(naming, (s) => s.route);
  const saved = useSlice(naming, (s) => s.saved);
  const all = useSlice(connections, (s) => s.connections);
  const orgs = all.filter((c) => c.kind === 'salesforce');
  const sources = all.filter((c) => c.kind !== 'salesforce');
  const edit = (change: Partial<NamingDraft>): void => naming.getState().edit(change);

  useEffect(() => void naming.getState().loadRoutes(), [naming]);
  // A Salesforce connection is picked for the user when there is only one to pick.
  const onlyOrg = orgs.length === 1 ? orgs[0]?.name : undefined;
  useEffect(() => {
    const state = naming.getState();
    if (onlyOrg !== undefined && state.target.connection === '') state.edit({ target: { ...state.target, connection: onlyOrg } });
  }, [naming, onlyOrg]);

  useEffect(() => {
    const timer = setTimeout(() => void naming.getState().tryDraft(), TRY_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [naming, rule, target, source, typed]);

  const invalid = result?.status === 'invalid' ? result : undefined;
  const objects = KNOWN_OBJECTS.includes(target.path) ? KNOWN_OBJECTS : [...KNOWN_OBJECTS, target.path];
  const tooMany = typed.split('\n').filter((line) => line.trim() !== '').length > NAMING_TYPED_NAMES;

  return (
    <section className={styles.screen} aria-labelledby="naming-title">
      <h1 id="naming-title" className={styles.h1}>
        Naming rules
      </h1>
      <p className={styles.note}>
        A naming rule finds the Salesforce record each file belongs to from its name: <code>INV-{'{AccountNumber}'}-{'{*}'}</code> attaches{' '}
        <code>INV-ACC-10001-2026-11-02.csv</code> to the Account whose number is ACC-10001. Type one and see what it does to a folder&apos;s files and to names you type.
      </p>
      <form className={styles.form} aria-label="Naming rule" onSubmit={(e) => e.preventDefault()}>
        <div className={styles.line}>
          <label className={`field ${styles.grow}`}>
            Job route
            <select value={route ?? ''} onChange={(e) => naming.getState().pickRoute(e.target.value)}>
              <option value="">None: a new rule</option>
              {routes.map((r) => (
                <option key={routeKey(r)} value={routeKey(r)}>
                  {`${r.job} › ${r.route} (${r.file})`}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button" disabled={route === undefined || rule === '' || invalid !== undefined} onClick={() => void naming.getState().saveRule()}>
            <Save aria-hidden size={16} />
            Save to job route
          </button>
        </div>
        {unreadable.length > 0 && (
          <p className={styles.note}>
            {unreadable.length === 1 ? '1 job file does not load' : `${unreadable.length} job files do not load`} and {unreadable.length === 1 ? 'is' : 'are'} not listed:{' '}
            {unreadable.map((u) => u.file).join(', ')}.
          </p>
        )}
        <div className={`field ${styles.rule}`}>
          <label htmlFor={ids.rule}>Rule</label>
          <input
            id={ids.rule}
            value={rule}
            maxLength={500}
            spellCheck={false}
            autoComplete="off"
            placeholder="INV-{AccountNumber}-{*}"
            aria-invalid={invalid !== undefined}
            aria-describedby={invalid === undefined ? ids.hint : `${ids.problem} ${ids.hint}`}
            onChange={(e) => edit({ rule: e.target.value })}
          />
          {invalid !== undefined && <RuleProblem id={ids.problem} rule={rule} position={invalid.position} reason={invalid.reason} />}
          <span id={ids.hint} className="hint">
            {'{Field}'} captures a field of the object; {'{date}'}, {'{number}'}, {'{*}'} (any text) and {'{**}'} (any folders) match without capturing.
          </span>
        </div>
        <div className={styles.line}>
          <label className="field">
            Salesforce connection
            <select value={target.connection} onChange={(e) => edit({ target: { ...target, connection: e.target.value } })}>
              <option value="">Choose a connection</option>
              {orgs.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Salesforce object
            <select value={target.path} onChange={(e) => edit({ target: { ...target, path: e.target.value } })}>
              {objects.map((o) => (
                <option key={o} value={o}>
                  {objectLook(o).label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Source connection
            <select value={source.connection} onChange={(e) => edit({ source: { ...source, connection: e.target.value } })}>
              <option value="">None: typed names only</option>
              {sources.map((c) => (
                <option key={c.name} value={c.name}>
                  {connectionLabel(c.name)}
                </option>
              ))}
            </select>
          </label>
          <label className={`field ${styles.grow}`}>
            Source folder
            <input value={source.path} disabled={source.connection === ''} placeholder="invoices" spellCheck={false} onChange={(e) => edit({ source: { ...source, path: e.target.value.replace(/^\/+/, '') } })} />
          </label>
        </div>
        <div className={`field ${styles.typed}`}>
          <label htmlFor={ids.typed}>Names to try</label>
          <textarea
            id={ids.typed}
            value={typed}
            rows={3}
            spellCheck={false}
            aria-describedby={ids.typedHint}
            placeholder={'One name a line, e.g.\nINV-ACC-10002-2026-11-03.pdf'}
            onChange={(e) => edit({ typed: e.target.value })}
          />
          <span id={ids.typedHint} className="hint">
            {tooMany ? `Only the first ${NAMING_TYPED_NAMES} names are tried.` : 'One name a line; a rule with folders reads a path, e.g. ACC-10001/2026/report.pdf.'}
          </span>
        </div>
      </form>
      {error !== undefined && (
        <p role="alert" className={styles.problem}>
          {error}
        </p>
      )}
      <p role="status" className={styles.note}>
        {saved ?? ''}
      </p>
      <NamingCostLine result={result?.status === 'tried' ? result : undefined} trying={trying} />
      {!canTry({ rule, target, source, typed }) ? (
        <p className={styles.empty}>{rule === '' ? 'Type a rule, or load one from a job route.' : 'Choose the Salesforce connection whose records the rule finds.'}</p>
      ) : (
        result?.status === 'tried' && <NamingResultGrid result={result} />
      )}
    </section>
  );
}
