import type { CSSProperties, ReactNode } from 'react';
import { objectLook } from './salesforceObjects.js';
import styles from './ObjectTile.module.css';

/** A Salesforce object's icon tile: a white glyph on the object's colour, as Lightning shows it. */
export function ObjectTile({ object, size = 20 }: { readonly object: string; readonly size?: number }) {
  const look = objectLook(object);
  const Icon = look.icon;
  return (
    <span className={styles.tile} style={{ background: look.color, width: size, height: size }} aria-hidden>
      <Icon size={Math.round(size * 0.62)} color="#ffffff" strokeWidth={2.25} />
    </span>
  );
}

/** A record folder's segment read as its name and id: `Acme Corp (001…)`, a bare id, or a unique name. */
export function recordParts(segment: string): { readonly name: string | undefined; readonly id: string | undefined } {
  const named = /^(.*) \(([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})\)$/.exec(segment);
  if (named !== null) return { name: named[1], id: named[2] };
  if (/^[a-zA-Z0-9]{15}$|^[a-zA-Z0-9]{18}$/.test(segment) && /\d/.test(segment)) return { name: undefined, id: segment };
  return { name: segment, id: undefined };
}

interface RecordHeaderProps {
  readonly object: string;
  /** The record's folder segment, when a record is open. */
  readonly record: string | undefined;
  /** The record's name where the segment is a bare id, once looked up. */
  readonly lookedUpName?: string | undefined;
  /** What the header offers beside the title: the record search box in an object's folder. */
  readonly children?: ReactNode;
}

/** Above a Salesforce listing: the object's tile, its label small over the record's name, and the record's id. */
export function RecordHeader({ object, record, lookedUpName, children }: RecordHeaderProps) {
  const look = objectLook(object);
  const parts = record === undefined ? undefined : recordParts(record);
  const title = parts === undefined ? `${look.label} records` : (parts.name ?? lookedUpName ?? parts.id ?? '');
  return (
    <div className={styles.header} style={{ '--object-colour': look.color } as CSSProperties}>
      <ObjectTile object={object} size={32} />
      <div className={styles.titles}>
        <span className={styles.kicker}>{record === undefined ? 'Object' : look.label}</span>
        <span className={styles.title} title={title}>
          {title}
        </span>
        {parts?.id !== undefined && <span className={styles.id}>Id {parts.id}</span>}
      </div>
      {children}
    </div>
  );
}
