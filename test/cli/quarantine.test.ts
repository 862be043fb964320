import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobWorld, type JobWorld } from '../jobs/harness.js';

// A job kept outside Ferry's jobs folder, as a coordinator's job often is: the run records its file.
const JOB = `version: 1
name: orders
source:
  location: ./drop
arrival:
  stableFor: 0s
validate:
  - files: '*.csv'
    name: '^ORD-(?<seq>\\d+)\\.csv$'
routes:
  - name: erp
    to: ./erp/
after:
  source: delete
quarantine:
  returnTo: ./returned/
`;

describe('ferry quarantine on the command line', () => {
  let world: JobWorld;

  beforeEach(async () => {
    world = await jobWorld('quarantine-cli');
    await world.files({ 'drop/orders 1.csv': 'a\n1\n', 'drop/orders 2.csv': 'a\n2\n', 'drop/orders 3.csv': 'a\n3\n' });
    await world.run(await world.job(JOB, 'orders.yaml'));
  });
  afterEach(async () => {
    await world.close();
  });

  async function heldIds(): Promise<Map<string, number>> {
    const held = (await world.workspace.history()).journal().quarantined({ job: 'orders' });
    return new Map(held.map((q) => [q.file, q.id]));
  }

  it('releases, re-validates and returns files with the job file recorded with the entry, without --job', async () => {
    const ids = await heldIds();
    expect([...ids.keys()].sort()).toEqual(['orders 1.csv', 'orders 2.csv', 'orders 3.csv']);

    const released = await world.ferry(['quarantine', 'release', String(ids.get('orders 1.csv'))]);
    expect(released.code, released.err).toBe(0);
    expect(await readFile(join(world.work, 'erp/orders 1.csv'), 'utf8')).toBe('a\n1\n');

    const revalidated = await world.ferry(['quarantine', 'revalidate', String(ids.get('orders 2.csv'))]);
    expect(revalidated.out).toMatch(/orders 2\.csv: still-invalid \(name: /);

    const returned = await world.ferry(['quarantine', 'return', String(ids.get('orders 3.csv')), '--note', 'Name it ORD-3.csv.']);
    expect(returned.code, returned.err).toBe(0);
    expect(await readFile(join(world.work, 'returned/orders 3.csv'), 'utf8')).toBe('a\n3\n');
    expect(await readFile(join(world.work, 'returned/orders 3.csv.rejected.txt'), 'utf8')).toMatch(/Name it ORD-3\.csv\./);
  });

  it('says where it looked when the job is neither in the jobs folder nor at its recorded file', async () => {
    const ids = await heldIds();
    const recorded = join(world.work, 'orders.yaml');
    await rename(recorded, join(world.work, 'orders.moved'));

    for (const args of [['release', String(ids.get('orders 1.csv'))], ['return', String(ids.get('orders 3.csv'))]]) {
      const refused = await world.ferry(['quarantine', ...args]);
      expect(refused.code).not.toBe(0);
      expect(refused.err).toContain('The job "orders" cannot be loaded');
      expect(refused.err).toContain(recorded);
      expect(refused.err).toContain(world.workspace.paths.jobs);
    }
    expect([...(await heldIds()).keys()].sort()).toEqual(['orders 1.csv', 'orders 2.csv', 'orders 3.csv']);
  });
});
