import type { ReactNode } from 'react';
import { DialogFrame } from '../components/DialogFrame.js';

/** The three answers Ferry offers about a server it cannot vouch for, whatever the protocol. */
export type TrustAnswer = 'refuse' | 'once' | 'trust';

interface ServerTrustDialogProps {
  readonly title: string;
  readonly error: string | undefined;
  readonly answer: (answer: TrustAnswer) => void;
  readonly children: ReactNode;
}

/** A question about a server's identity: what is known of it, then do not connect, connect once, or trust. Closing is "do not connect". */
export function ServerTrustDialog({ title, error, answer, children }: ServerTrustDialogProps) {
  const refuse = (): void => answer('refuse');
  return (
    <DialogFrame
      title={title}
      wide
      onClose={refuse}
      error={error}
      actions={
        <>
          <button type="button" className="button" onClick={refuse}>
            Do not connect
          </button>
          <button type="button" className="button" onClick={() => answer('once')}>
            Connect this once
          </button>
          <button type="button" className="button primary" onClick={() => answer('trust')}>
            Trust and connect
          </button>
        </>
      }
    >
      {children}
    </DialogFrame>
  );
}
