import type { PromptReply } from '../../src/shared/contract/models.js';
import { assertNever } from '../../src/shared/util/assertNever.js';
import { CertificateDialog } from './CertificateDialog.js';
import { ConflictDialog } from './ConflictDialog.js';
import { HostKeyDialog } from './HostKeyDialog.js';
import { useSlice, useStores } from './StoresContext.js';

/** The oldest of the core's open questions, in the dialog of its kind; the others wait their turn. */
export function PromptDialog() {
  const { prompts } = useStores();
  const open = useSlice(prompts, (s) => s.open);
  const error = useSlice(prompts, (s) => s.error);
  const send = useSlice(prompts, (s) => s.answer);
  const current = open[0];
  if (current === undefined) return null;
  const answer = (reply: PromptReply): void => void send(current.id, reply);
  // Keyed by the question: a dialog's own state (an unticked "for all") never carries over to the next one.
  switch (current.kind) {
    case 'hostKey':
      return <HostKeyDialog key={current.id} prompt={current} error={error} answer={answer} />;
    case 'certificate':
      return <CertificateDialog key={current.id} prompt={current} error={error} answer={answer} />;
    case 'conflict':
      return <ConflictDialog key={current.id} prompt={current} error={error} answer={answer} />;
    default:
      return assertNever(current, 'prompt');
  }
}
