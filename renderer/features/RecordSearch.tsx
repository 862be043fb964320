import { Search } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { FoundRecord } from '../../src/shared/contract/recordCommands.js';
import { objectLook } from '../components/salesforceObjects.js';
import { searchRecords } from '../stores/actions.js';
import styles from './RecordSearch.module.css';
import { useStores } from './StoresContext.js';

/** Typing pauses this long before Salesforce is asked, so a name typed quickly costs one query. */
const SEARCH_PAUSE_MS = 250;

type Results =
  | { readonly status: 'idle' }
  | { readonly status: 'searching' }
  /** `more`: the search has records past these; `loadingMore`: the next page was asked for. */
  | { readonly status: 'found'; readonly records: ReadonlyArray<FoundRecord>; readonly more: boolean; readonly loadingMore: boolean }
  | { readonly status: 'failed'; readonly message: string };

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
 * (a WAI-ARIA combobox); Enter or a click opens the record. The list shows a page at a time; its last
 * option, "Show more", is reached with the arrows like any record and adds the next page.
 */
export function RecordSearch({ connection, object, onOpen }: RecordSearchProps) {
  const stores = useStores();
  const listId = useId();
  const [text, setText] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const [active, setActive] = useState(0);
  /** Counts the searches typed, so that a page arriving for an older text is dropped. */
  const searchNumber = useRef(0);
  const label = objectLook(object).label;

  useEffect(() => {
    const number = ++searchNumber.current;
    if (text.trim() === '') {
      setResults({ status: 'idle' });
      return;
    }
    const timer = setTimeout(() => {
      setResults({ status: 'searching' });
      void searchRecords(stores, connection, object, text).then((answer) => {
        if (number !== searchNumber.current) return;
        setActive(0);
        setResults('error' in answer ? { status: 'failed', message: answer.error } : { status: 'found', records: answer.records, more: answer.more, loadingMore: false });
      });
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [stores, connection, object, text]);

  const records = results.status === 'found' ? results.records : [];
  const more = results.status === 'found' && results.more;
  /** The options the arrows move over: every record, then "Show more" where more follow. */
  const optionCount = records.length + (more ? 1 : 0);
  const open = results.status !== 'idle';
  const optionId = (index: number): string => `${listId}-${index}`;
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    list.current?.querySelector(`[id="${CSS.escape(optionId(active))}"]`)?.scrollIntoView?.({ block: 'nearest' });
  });

  const choose = (record: FoundRecord | undefined): void => {
    if (record === undefined) return;
    setText('');
    onOpen(record.path);
  };

  const showMore = (): void => {
    if (results.status !== 'found' || !results.more || results.loadingMore) return;
    const number = searchNumber.current;
    const shown = results.records;
    setResults({ ...results, loadingMore: true });
    void searchRecords(stores, connection, object, text, shown.length).then((answer) => {
      if (number !== searchNumber.current) return;
      if ('error' in answer) {
        setResults({ status: 'failed', message: answer.error });
        return;
      }
      // The first record of the new page takes the place "Show more" had, so the arrows carry on from there.
      setActive(shown.length);
      setResults({ status: 'found', records: [...shown, ...answer.records], more: answer.more, loadingMore: false });
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (optionCount > 0) setActive((active + (event.key === 'ArrowDown' ? 1 : optionCount - 1)) % optionCount);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (more && active === records.length) showMore();
      else choose(records[active]);
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
          aria-activedescendant={optionCount > 0 ? optionId(active) : undefined}
          placeholder={`Search ${label} records by name${label === 'Account' ? ' or number' : ''}`}
          value={text}
          spellCheck={false}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      {/* In the tab order so that a long list scrolls from the keyboard too, not only by the arrows in the box. */}
      <div className={styles.results} hidden={!open} tabIndex={0}>
        {results.status === 'searching' && <p className={styles.note}>Searching…</p>}
        {results.status === 'failed' && (
          <p role="alert" className={styles.failed}>
            {results.message}
          </p>
        )}
        {results.status === 'found' && records.length === 0 && <p className={styles.note}>No {label} record has “{text.trim()}” in its name{label === 'Account' ? ' or number' : ''}.</p>}
        <ul ref={list} id={listId} role="listbox" aria-label={`${label} records found`} className={styles.list}>
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
          {more && (
            <li
              id={optionId(records.length)}
              role="option"
              aria-selected={active === records.length}
              aria-busy={results.status === 'found' && results.loadingMore}
              className={`${styles.option} ${styles.more}`}
              onMouseDown={(event) => event.preventDefault()}
              onClick={showMore}
            >
              {results.status === 'found' && results.loadingMore ? 'Loading more…' : `Show more ${label} records`}
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}
