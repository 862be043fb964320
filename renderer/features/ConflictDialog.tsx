import { useState } from 'react';
import type { ConflictAnswer, ConflictQuestion, Prompt, PromptReply } from '../../src/shared/contract/models.js';
import { DialogFrame } from '../components/DialogFrame.js';
import { formatBytes, formatDate } from '../format.js';
import { connectionLabel } from '../stores/panes.js';
import styles from './PromptDialog.module.css';

interface ConflictDialogProps {
  readonly prompt: Extract<Prompt, { kind: 'conflict' }>;
  readonly error: string | undefined;
  readonly answer: (reply: Extract<PromptReply, { kind: 'conflict' }>) => void;
}

/** The answers, safest first; the button's words are its accessible name. */
const CHOICES: ReadonlyArray<{ readonly answer: ConflictAnswer; readonly label: string; readonly offered: (q: ConflictQuestion) => boolean }> = [
  { answer: 'skip', label: 'Skip', offered: () => true },
  { answer: 'rename', label: 'Rename', offered: () => true },
  // Only a shorter target can be an interrupted copy of this file.
  { answer: 'resume', label: 'Resume', offered: (q) => q.target.size >= 0 && q.target.size < q.source.size },
  { answer: 'newer', label: 'Overwrite if newer', offered: (q) => q.source.modifiedAt !== undefined && q.target.modifiedAt !== undefined },
  { answer: 'overwrite', label: 'Overwrite', offered: () => true },
];

/**
 * A file about to land where one of that name is: both side by side (where, size, modified), and what
 * to do — for this file, or for every other one of the transfer too. Closing the dialog skips the file.
 */
export function ConflictDialog({ prompt, error, answer }: ConflictDialogProps) {
  const [applyToAll, setApplyToAll] = useState(false);
  const { source, target } = prompt.question;
  const choose = (choice: ConflictAnswer): void => answer({ kind: 'conflict', answer: choice, applyToAll });
  return (
    <DialogFrame
      title={`“${target.name}” is already there`}
      wide
      onClose={() => answer({ kind: 'conflict', answer: 'skip', applyToAll: false })}
      error={error}
      actions={
        <>
          <label className={styles.forAll}>
            <input type="checkbox" checked={applyToAll} onChange={(event) => setApplyToAll(event.target.checked)} />
            Do the same for every other file of this transfer that is already there
          </label>
          {CHOICES.filter((choice) => choice.offered(prompt.question)).map((choice) => (
            <button key={choice.answer} type="button" className={choice.answer === 'overwrite' ? 'button danger' : 'button'} onClick={() => choose(choice.answer)}>
              {choice.label}
            </button>
          ))}
        </>
      }
    >
      <p>A file named “{target.name}” is already in the folder this transfer sends to. Rename keeps both: the new one gets a number after its name.</p>
      <table className={styles.compare}>
        <caption className="visually-hidden">The file being sent and the one already there</caption>
        <thead>
          <tr>
            <td />
            <th scope="col">Being sent</th>
            <th scope="col">Already there</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">File</th>
            <td>{source.path}</td>
            <td>{target.path}</td>
          </tr>
          <tr>
            <th scope="row">On</th>
            <td>{connectionLabel(source.where)}</td>
            <td>{connectionLabel(target.where)}</td>
          </tr>
          <tr>
            <th scope="row">Size</th>
            <td>{sizeOf(source.size)}</td>
            <td>{sizeOf(target.size)}</td>
          </tr>
          <tr>
            <th scope="row">Modified</th>
            <td>{whenOf(source.modifiedAt)}</td>
            <td>{whenOf(target.modifiedAt)}</td>
          </tr>
        </tbody>
      </table>
    </DialogFrame>
  );
}

function sizeOf(bytes: number): string {
  return bytes < 0 ? 'unknown' : formatBytes(bytes);
}

function whenOf(epochMs: number | undefined): string {
  return epochMs === undefined ? 'unknown' : formatDate(epochMs);
}
