import type { ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import styles from './DialogFrame.module.css';

interface DialogFrameProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly wide?: boolean;
  /** Shown in red above the buttons: what went wrong with the last try. */
  readonly error?: string | undefined;
  readonly children: ReactNode;
  readonly actions: ReactNode;
}

/** A modal dialog named by its title: Escape or a click outside closes it, focus stays inside while open. */
export function DialogFrame({ title, onClose, wide = false, error, children, actions }: DialogFrameProps) {
  return (
    <ModalOverlay isOpen isDismissable onOpenChange={(open) => !open && onClose()} className={styles.overlay}>
      <Modal className={wide ? `${styles.modal} ${styles.wide}` : styles.modal}>
        <Dialog className={styles.dialog}>
          <Heading slot="title" className={styles.title}>
            {title}
          </Heading>
          <div className={styles.body}>{children}</div>
          {error !== undefined && (
            <p role="alert" className={styles.error}>
              {error}
            </p>
          )}
          <div className={styles.actions}>{actions}</div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
