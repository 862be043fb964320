import { Placeholder } from '../Placeholder.js';

export function JobsScreen() {
  return <Placeholder title="Jobs" coming="Saved flows that run on a schedule or when a partner's file arrives: run now, try a dry run, enable or disable." />;
}
