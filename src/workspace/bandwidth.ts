import { loadSettings, saveSetting } from '../config/settings.js';
import { BandwidthLimits, type BandwidthLimiter, type Pace } from '../engine/bandwidth/BandwidthLimits.js';
import { readLimit } from '../engine/bandwidth/readLimit.js';
import type { BandwidthLimit } from '../shared/model/bandwidthText.js';
import type { Workspace } from './Workspace.js';

/** One set of limits per workspace, so that every transfer of a process shares its buckets. */
const perWorkspace = new WeakMap<Workspace, BandwidthLimits>();

/**
 * The limits of every transfer this process makes through `ws`, brought up to date with the saved ones:
 * Ferry's own in settings.json and each connection's in connections.json. Read again at every run, so a
 * limit changed elsewhere (the window, another command) holds from the next run on.
 */
export async function bandwidthLimits(ws: Workspace): Promise<BandwidthLimits> {
  let limits = perWorkspace.get(ws);
  if (limits === undefined) {
    limits = new BandwidthLimits();
    perWorkspace.set(ws, limits);
  }
  await applySavedLimits(ws, limits);
  return limits;
}

/** Sets `limits` to what settings.json and connections.json say; a broken limit there names the file and the field. */
export async function applySavedLimits(ws: Workspace, limits: BandwidthLimits): Promise<void> {
  const settings = await loadSettings(ws.paths.settings);
  limits.global.set(settings.bandwidth === undefined ? undefined : readLimit(settings.bandwidth, `bandwidth in ${ws.paths.settings}`));
  const saved = new Map<string, BandwidthLimit>();
  for (const c of await ws.connections.list()) {
    const limit = c.bandwidth === undefined ? undefined : readLimit(c.bandwidth, `bandwidth of connection "${c.name}" in ${ws.paths.connections}`);
    if (limit !== undefined) saved.set(c.name, limit);
  }
  limits.setConnections(saved);
}

/** Saves Ferry's own limit (undefined: none) and applies it at once to the transfers running in this process. */
export async function saveGlobalLimit(ws: Workspace, text: string | undefined): Promise<void> {
  const limit = text === undefined ? undefined : readLimit(text, 'the limit for all transfers');
  await saveSetting(ws.paths.settings, 'bandwidth', limit?.text);
  await bandwidthLimits(ws);
}

/** Saves a connection's limit (undefined: none) and applies it at once to the transfers running in this process. */
export async function saveConnectionLimit(ws: Workspace, name: string, text: string | undefined): Promise<void> {
  const limit = text === undefined ? undefined : readLimit(text, `the limit of connection "${name}"`);
  const { bandwidth: _old, ...config } = await ws.config(name);
  await ws.connections.save(limit === undefined ? config : { ...config, bandwidth: limit.text });
  await bandwidthLimits(ws);
}

/**
 * The pace of one run's files from `source` to `target` (connection names; undefined is this computer),
 * under the run's own limit and the saved ones.
 */
export async function runPace(ws: Workspace, run: BandwidthLimit | undefined, source: string | undefined, target: string | undefined): Promise<Pace | undefined> {
  const limits = await bandwidthLimits(ws);
  const own: BandwidthLimiter | undefined = run === undefined ? undefined : limits.run(run);
  return limits.pace({ ...(own === undefined ? {} : { run: own }), source, target });
}
