import styles from './AppFrame.module.css';

/** A screen that is planned but not built: it says so, and what it will hold, rather than showing made-up rows. */
export function Placeholder({ title, coming }: { readonly title: string; readonly coming: string }) {
  return (
    <div className={styles.placeholder}>
      <h1 className={styles.h1}>{title}</h1>
      <p className={styles.badge}>Coming next</p>
      <p>{coming}</p>
      <p className={styles.muted}>This screen is not built yet: nothing here is real data.</p>
    </div>
  );
}
