import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A fuse's state as Electron's binary stores it: the characters '1' and '0'. */
export const FUSE_ON = 0x31;
export const FUSE_OFF = 0x30;

/** The marker Electron's binary carries before its fuse wire (`@electron/fuses` looks for it). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Electron 41's fuses as it ships them, in wire order: what packaging must change, and what it must leave. */
const SHIPPED_FUSES: ReadonlyArray<number> = [
  FUSE_ON, // RunAsNode
  FUSE_OFF, // EnableCookieEncryption
  FUSE_ON, // EnableNodeOptionsEnvironmentVariable
  FUSE_ON, // EnableNodeCliInspectArguments
  FUSE_OFF, // EnableEmbeddedAsarIntegrityValidation
  FUSE_OFF, // OnlyLoadAppFromAsar
  FUSE_OFF, // LoadBrowserProcessSpecificV8Snapshot
  FUSE_ON, // GrantFileProtocolExtraPrivileges
];

/**
 * A folder shaped like Electron's Linux download, for packaging where Electron cannot be downloaded: its
 * `electron` is a stub that carries a real fuse wire, so electron-builder flips the fuses exactly as it
 * would in the real binary and a test can read them back.
 */
export async function writeStandInElectron(folder: string, version: string): Promise<void> {
  await mkdir(join(folder, 'resources'), { recursive: true });
  const wire = Buffer.from([1, SHIPPED_FUSES.length, ...SHIPPED_FUSES]);
  const binary = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n# '), Buffer.from(FUSE_SENTINEL), wire, Buffer.from('\n')]);
  await writeFile(join(folder, 'electron'), binary);
  await chmod(join(folder, 'electron'), 0o755);
  await writeFile(join(folder, 'version'), version);
  await writeFile(join(folder, 'LICENSE'), 'Stand-in for packaging checks.\n');
}
