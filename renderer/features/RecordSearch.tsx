import { Search } from 'lucide-react';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { FoundRecord } from '../../src/shared/contract/recordCommands.js';
import { objectLook } from '../components/salesforceObjects.js';
import { searchRecords } from '../stores/actions.js';
import styles from './RecordSearch.module.css';
import { useStores } from './StoresContext.js';

/** Typing pauses this long before Salesforce is asked, so a name typed quickly costs one query. */
const SEARCH_PAUSE_MS = 250;

type Results = { readonly status: 'idle' } | { readonly status: 'searching' } | { readonly status: 'found'; readonly records: ReadonlyArray<FoundRecord> } | { readonly status: 'failed'; readonly message: string };

interface RecordSearchProps {
  readonly connection: string;
  /** The object folder searched, e.g. `Account`. */
  readonly object: string;
  readonly onOpen: (path: string) => void;
}

/** What a found record shows beside its name: its number fields (an Account's number). */
function detailsOf(record: FoundRecord): string {
  return Object.values(record.fields).join(' · ');
}

/**
 * An object folder's search box: records whose name or number holds what is typed, as a list below it
 * (a WAI-ARIA combobox); Enter or a click opens the record.
 */
export function RecordSearch({ connection, object, onOpen }: RecordSearchProps) {
  const stores = useStores();
  const listId = useId();
  const [text, setText] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const [active, setActive] = useState(0);
  const label = objectLook(object).label;

  useEffect(() => {
    if (text.trim() === '') {
      setResults({ status: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setResults({ status: 'searching' });
      void searchRecords(stores, connection, object, text).then((answer) => {
        if (!current) return;
        setActive(0);
        setResults('error' in answer ? { status: 'failed', message: answer.error } : { status: 'found', records: answer.records });
      });
    }, SEARCH_PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [stores, connection, object, text]);

  const records = results.status === 'found' ? results.records : [];
  const open = results.status !== 'idle';
  const optionId = (index: number): string => `${listId}-${index}`;
  const choose = (record: FoundRecord | undefined): void => {
    if (record === undefined) return;
    setText('');
    onOpen(record.path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (records.length > 0) setActive((active + (event.key === 'ArrowDown' ? 1 : records.length - 1)) % records.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(records[active]);
    } else if (event.key === 'Escape' && text !== '') {
      event.preventDefault();
      event.stopPropagation();
      setText('');
    }
  };

  return (
    <div className={styles.search}>
      <label className={styles.field}>
        <Search aria-hidden size={14} />
        <input
          type="text"
          role="combobox"
          aria-label={`Search ${label} records`}
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={records.length > 0 ? optionId(active) : undefined}
          placeholder={`Search ${label} records by name${label === 'Account' ? ' or number' : ''}`}
          value={text}
          spellCheck={false}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      <div className={styles.results} hidden={!open}>
        {results.status === 'searching' && <p className={styles.note}>Searching…</p>}
        {results.status === 'failed' && (
          <p role="alert" className={styles.failed}>
            {results.message}
          </p>
        )}
        {results.status === 'found' && records.length === 0 && <p className={styles.note}>No {label} record has “{text.trim()}” in its name{label === 'Account' ? ' or number' : ''}.</p>}
        <ul id={listId} role="listbox" aria-label={`${label} records found`} className={styles.list}>
          {records.map((record, index) => (
            <li
              key={record.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={styles.option}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(record)}
            >
              <span className={styles.name}>{record.name}</span>
              <span className={styles.details}>{[detailsOf(record), record.id].filter((t) => t !== '').join(' · ')}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
