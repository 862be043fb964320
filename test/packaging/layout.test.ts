import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSE_OFF, FUSE_ON, writeStandInElectron } from './standInElectron.js';

const run = promisify(execFile);
const ELECTRON_VERSION = '41.10.0';

/**
 * What the Linux installers would hold, checked offline: electron-builder packs the built app around a
 * stand-in Electron (`--linux dir`), and the test reads the asar, the unpacked native module and the
 * fuses it flipped. The installers themselves need a machine that can download Electron.
 */
describe('the packaged app', () => {
  let work: string;
  let app: string;
  let asar: string;
  let files: ReadonlyArray<string>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ferry-package-'));
    await writeStandInElectron(join(work, 'electron'), ELECTRON_VERSION);
    await run(
      process.execPath,
      [
        'node_modules/electron-builder/cli.js',
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${join(work, 'electron')}`,
        `-c.electronVersion=${ELECTRON_VERSION}`,
        `-c.directories.output=${join(work, 'dist')}`,
      ],
      { env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true' } },
    );
    app = join(work, 'dist', 'linux-unpacked');
    asar = join(app, 'resources', 'app.asar');
    files = listPackage(asar, { isPack: false });
  }, 600_000);

  const isUnpacked = (file: string): boolean => {
    const entry = statFile(asar, file.slice(1));
    return 'unpacked' in entry && entry.unpacked === true;
  };

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('holds the main process, the preload and the window, and starts where package.json says', async () => {
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string };
    expect(files).toContain(`/${manifest.main}`);
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer-web/index.html');
    expect(files.some((file) => /^\/out\/renderer-web\/assets\/.+\.js$/.test(file))).toBe(true);
    expect(files).toContain('/out/src/cli/main.js');
  });

  it('leaves out source maps, type declarations, build state, tests and the window libraries the bundle already holds', () => {
    expect(files.filter((file) => file.startsWith('/out/') && /\.(map|d\.ts|json)$/.test(file))).toEqual([]);
    expect(files.filter((file) => /^\/(test|renderer|bench|docs|main|src)\//.test(file))).toEqual([]);
    expect(files.filter((file) => /^\/node_modules\/(react|react-dom|zustand|lucide-react|vitest|typescript)\//.test(file))).toEqual([]);
  });

  it('unpacks the database engine of this platform only, beside the asar', async () => {
    const prebuilds = join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds');
    expect(await readdir(prebuilds)).toEqual([`linux-${process.arch}.node`]);
    const natives = files.filter((file) => file.endsWith('.node'));
    expect(natives).toContain(`/node_modules/better-sqlite3/prebuilds/linux-${process.arch}.node`);
    expect(natives.filter((file) => !isUnpacked(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('/node_modules/better-sqlite3/') && /\.(c|cpp|h)$/.test(file))).toEqual([]);
    expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'deps'))).toBe(false);
  });

  it('packs the tray icons of each state, at both densities, and the window icon, where the shell reads them', async () => {
    const drawn = (await readdir(join(import.meta.dirname, '..', '..', 'assets', 'tray'))).filter((name) => name.endsWith('.png'));
    expect(drawn.sort()).toEqual(['attention.png', 'attention@2x.png', 'idle.png', 'idle@2x.png', 'running.png', 'running@2x.png']);
    expect(files.filter((file) => file.startsWith('/assets/tray/')).sort()).toEqual(drawn.map((name) => `/assets/tray/${name}`));
    expect(files).toContain('/assets/icons/512x512.png');
  });

  it('ships the job templates the editor offers', () => {
    expect(files.filter((file) => /^\/examples\/[^/]+\/[^/]+\.ya?ml$/.test(file)).length).toBeGreaterThanOrEqual(10);
  });

  it('sets the fuses: no Node mode, no NODE_OPTIONS or inspector, the app only from its checked asar', async () => {
    const fuses = await getCurrentFuseWire(join(app, 'ferry-desktop'));
    expect(fuses[FuseV1Options.RunAsNode]).toBe(FUSE_OFF);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FUSE_OFF);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FUSE_OFF);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FUSE_ON);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FUSE_ON);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(FUSE_ON);
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FUSE_OFF);
  });

  it('keeps no secret, workspace or history from the machine that built it', () => {
    expect(files.filter((file) => /\.(db|sqlite|key|pem)$|ferry-home|\.env$/.test(file))).toEqual([]);
    const ours = files.filter((file) => /^\/(out|examples)\/.+\.[a-z]+$/.test(file) && !isUnpacked(file));
    expect(ours.filter((file) => extractFile(asar, file.slice(1)).includes('PRIVATE KEY-----'))).toEqual([]);
  });
});
