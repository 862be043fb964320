import { ChevronRight, Pencil } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { segmentsOf, typedPath } from '../stores/paths.js';
import styles from './PathBar.module.css';

export interface PathBarProps {
  readonly path: string;
  /** What the root is called: the connection's name. */
  readonly rootLabel: string;
  readonly onOpen: (path: string) => void;
  /** Set by the pane (Ctrl+L) to start typing a path; `onEditDone` hands it back. */
  readonly editing: boolean;
  readonly onEdit: (editing: boolean) => void;
}

/** The folder as a clickable breadcrumb; the pencil (or Ctrl+L) turns it into a field to type a path into. */
export function PathBar({ path, rootLabel, onOpen, editing, onEdit }: PathBarProps) {
  const [text, setText] = useState(path);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) {
      setText(`/${path}`);
      input.current?.focus();
      input.current?.select();
    }
  }, [editing, path]);

  const segments = segmentsOf(path);
  return (
    <nav aria-label="Path" className={styles.bar}>
      {editing ? (
        <form
          className={styles.form}
          onSubmit={(event) => {
            event.preventDefault();
            onEdit(false);
            onOpen(typedPath(text));
          }}
        >
          <input
            ref={input}
            aria-label="Folder path"
            className={styles.input}
            value={text}
            spellCheck={false}
            onChange={(event) => setText(event.target.value)}
            onBlur={() => onEdit(false)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                onEdit(false);
              }
            }}
          />
        </form>
      ) : (
        <>
          <ol className={styles.crumbs}>
            <li>
              <button type="button" className={styles.crumb} aria-current={segments.length === 0 ? 'location' : undefined} onClick={() => onOpen('')}>
                {rootLabel}
              </button>
            </li>
            {segments.map((segment, i) => (
              <li key={segment.path}>
                <ChevronRight aria-hidden size={14} className={styles.separator} />
                <button type="button" className={styles.crumb} aria-current={i === segments.length - 1 ? 'location' : undefined} onClick={() => onOpen(segment.path)}>
                  {segment.name}
                </button>
              </li>
            ))}
          </ol>
          <button type="button" className={styles.edit} aria-label="Type a path" title="Type a path (Ctrl+L)" onClick={() => onEdit(true)}>
            <Pencil aria-hidden size={14} />
          </button>
        </>
      )}
    </nav>
  );
}
