import { AlertTriangle, Clock, FileWarning, PauseCircle, PlugZap, PowerOff, type LucideIcon } from 'lucide-react';
import type { AttentionItem } from '../../../src/shared/contract/homeCommands.js';
import { formatDate } from '../../format.js';
import styles from './HomeScreen.module.css';

const ICONS: Readonly<Record<AttentionItem['kind'], LucideIcon>> = {
  failure: AlertTriangle,
  quarantine: FileWarning,
  sla: Clock,
  connection: PlugZap,
  paused: PauseCircle,
  disabled: PowerOff,
};

/** What is broken is red; what waits for someone amber; what was switched off on purpose plain. */
const TONES: Readonly<Record<AttentionItem['kind'], string | undefined>> = {
  failure: styles.danger,
  connection: styles.danger,
  quarantine: styles.warning,
  sla: styles.warning,
  paused: undefined,
  disabled: undefined,
};

interface Props {
  readonly items: ReadonlyArray<AttentionItem>;
  /** What the last action on an item came to, by its key. */
  readonly outcomes: Readonly<Record<string, string>>;
  readonly onAct: (item: AttentionItem) => void;
  readonly onDismiss: (item: AttentionItem) => void;
}

/** Each thing that needs someone, with the button that deals with it; buttons are told apart by the item they belong to. */
export function AttentionList({ items, outcomes, onAct, onDismiss }: Props) {
  if (items.length === 0) return <p className={styles.calm}>Nothing needs attention: every job's last run went well, no file is held, nothing is late.</p>;
  return (
    <ul className={styles.cards}>
      {items.map((item, index) => {
        const Icon = ICONS[item.kind];
        const titleId = `attention-${index}`;
        const outcome = outcomes[item.key];
        return (
          <li key={item.key} className={[styles.card, TONES[item.kind]].filter(Boolean).join(' ')}>
            <Icon aria-hidden size={18} className={styles.cardIcon} />
            <div className={styles.cardBody}>
              <h3 id={titleId} className={styles.cardTitle}>
                {item.title}
              </h3>
              <p className={styles.cardText}>{item.text}</p>
              {item.at !== undefined && <p className={styles.cardWhen}>{formatDate(item.at)}</p>}
              {outcome !== undefined && (
                <p className={styles.cardText} role="status">
                  {outcome}
                </p>
              )}
            </div>
            <div className={styles.cardActions}>
              <button type="button" className="button primary small" aria-describedby={titleId} onClick={() => onAct(item)}>
                {item.action}
              </button>
              {item.dismissible && (
                <button type="button" className="button small" aria-describedby={titleId} onClick={() => onDismiss(item)}>
                  Dismiss
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
