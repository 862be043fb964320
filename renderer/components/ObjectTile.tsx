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

/** Above a Salesforce listing: the object's label small over the record's name, beside the object's tile. */
export function RecordHeader({ object, record }: { readonly object: string; readonly record: string | undefined }) {
  const look = objectLook(object);
  return (
    <div className={styles.header}>
      <ObjectTile object={object} size={32} />
      <div className={styles.titles}>
        <span className={styles.kicker}>{record === undefined ? 'Object' : look.label}</span>
        <span className={styles.title}>{record ?? `${look.label} records`}</span>
      </div>
    </div>
  );
}
