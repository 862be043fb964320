import { chown, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * A fresh folder inside a server user's home, owned by that user, so that a suite starts empty and
 * the server may write in it. Returns its local path and its name.
 */
export async function makeScratch(home: string, label: string): Promise<{ path: string; name: string; owner: { uid: number; gid: number }; remove: () => Promise<void> }> {
  const owner = await stat(home);
  const name = `conf-${label}-${randomUUID().slice(0, 8)}`;
  const path = join(home, name);
  await mkdir(path);
  await chown(path, owner.uid, owner.gid);
  return { path, name, owner: { uid: owner.uid, gid: owner.gid }, remove: () => rm(path, { recursive: true, force: true }) };
}
