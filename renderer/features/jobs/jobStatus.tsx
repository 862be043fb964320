import { CircleAlert, CircleCheck, CircleDashed, CircleMinus, CircleX, LoaderCircle, TriangleAlert } from 'lucide-react';
import type { LucideIcon } from 'lucide-react';
import { STATUS_WORDS } from '../HistoryGrid.js';
import styles from './JobsScreen.module.css';

const ICONS: Readonly<Record<string, LucideIcon>> = {
  running: LoaderCircle,
  succeeded: CircleCheck,
  partial: TriangleAlert,
  failed: CircleX,
  cancelled: CircleMinus,
  interrupted: CircleAlert,
  planned: CircleDashed,
  quarantined: TriangleAlert,
};

/** A run's or a file's status in words with its icon: the words carry it, the icon and colour only help. */
export function StatusWords({ status, words }: { readonly status: string; readonly words?: string }) {
  const Icon = ICONS[status] ?? CircleDashed;
  return (
    <span className={styles.status} data-status={status}>
      <Icon aria-hidden size={14} />
      {words ?? STATUS_WORDS[status] ?? status}
    </span>
  );
}
