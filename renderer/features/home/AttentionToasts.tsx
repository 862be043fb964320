import { X } from 'lucide-react';
import type { AttentionRaised } from '../../../src/shared/contract/homeCommands.js';
import { openTarget } from '../../stores/openTarget.js';
import { useSlice, useStores } from '../StoresContext.js';
import styles from './AttentionToasts.module.css';

const OPEN_WORDS: Readonly<Record<AttentionRaised['kind'], string>> = {
  failure: 'Open the run',
  quarantine: 'Open in the validation log',
  sla: 'Open Jobs',
};

/**
 * New trouble as notices in a corner: announced without taking the focus (a failure as an alert, the
 * rest politely), each with the button that opens its entry and one that puts it away. They stay until
 * the user deals with them: nothing vanishes before it could be read.
 */
export function AttentionToasts() {
  const stores = useStores();
  const { attention } = stores;
  const toasts = useSlice(attention, (s) => s.toasts);
  return (
    <section aria-label="Notifications" className={styles.region}>
      {toasts.map((toast) => {
        const titleId = `toast-${toast.id.replace(/[^\w-]/g, '-')}`;
        return (
          <div key={toast.id} role={toast.kind === 'failure' ? 'alert' : 'status'} aria-labelledby={titleId} className={`${styles.toast} ${styles[toast.kind] ?? ''}`}>
            <div className={styles.body}>
              <p id={titleId} className={styles.title}>
                {toast.title}
              </p>
              <p className={styles.text}>{toast.text}</p>
              <button
                type="button"
                className="button small"
                aria-describedby={titleId}
                onClick={() => {
                  attention.getState().dismiss(toast.id);
                  void openTarget(stores, toast.target);
                }}
              >
                {OPEN_WORDS[toast.kind]}
              </button>
            </div>
            <button type="button" className={styles.close} aria-label={`Dismiss: ${toast.title}`} onClick={() => attention.getState().dismiss(toast.id)}>
              <X aria-hidden size={16} />
            </button>
          </div>
        );
      })}
    </section>
  );
}
