import { Placeholder } from '../Placeholder.js';

export function HomeScreen() {
  return <Placeholder title="Home" coming="What needs attention now: failed runs, files in quarantine, late files, connections that stopped working, paused schedules; then today's runs and the next ones." />;
}
