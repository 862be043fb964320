import { homedir } from 'node:os';
import { join } from 'node:path';

/** Every file Ferry keeps, under one data folder. */
export interface FerryPaths {
  readonly home: string;
  readonly connections: string;
  readonly secrets: string;
  readonly secretKey: string;
  readonly knownHosts: string;
  readonly partials: string;
  /** What Ferry wrote to each target, to recognise its own copies on servers that keep no times. */
  readonly written: string;
  /** Every run and file, in SQLite. */
  readonly history: string;
  /** Job files the daemon runs, and `ferry run <name>` finds by name. */
  readonly jobs: string;
  /** Where runs keep their files while they work on them. */
  readonly staging: string;
  /** Where files that fail validation are kept, unless a job names another place. */
  readonly quarantine: string;
  /** Workspace settings: SMTP servers for notifications, per-server connection limits. */
  readonly settings: string;
}

/**
 * The data folder: FERRY_HOME when set, otherwise the folder the desktop app uses for its data
 * (Electron's userData convention), so that the CLI and the app share connections.
 */
export function ferryPaths(env: NodeJS.ProcessEnv = process.env, platform = process.platform): FerryPaths {
  const home = env['FERRY_HOME'] ?? join(appDataDir(env, platform), 'Ferry');
  return {
    home,
    connections: join(home, 'connections.json'),
    secrets: join(home, 'secrets.enc'),
    secretKey: join(home, 'secret.key'),
    knownHosts: join(home, 'known_hosts'),
    partials: join(home, 'state', 'partials'),
    written: join(home, 'state', 'written.db'),
    history: join(home, 'history.db'),
    jobs: join(home, 'jobs'),
    staging: join(home, 'state', 'staging'),
    quarantine: join(home, 'quarantine'),
    settings: join(home, 'settings.json'),
  };
}

function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'win32') return env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
}
