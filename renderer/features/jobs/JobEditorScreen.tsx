import { Placeholder } from '../Placeholder.js';

export function JobEditorScreen() {
  return <Placeholder title="Job editor" coming="Every part of a job as a form, with its file beside it, checked as you type." />;
}
