import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { cp, mkdir, readFile, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunId } from '../../src/history/records.js';
import { loadJobFile, type LoadedJob } from '../../src/jobs/definition/loadJob.js';
import { formatDate } from '../../src/mapping/dates.js';
import { makeScratch } from '../conformance/scratch.js';
import { randomStream } from '../helpers/data.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { addFtpConnection, addOrgConnection, addSftpConnection, chownTree, copyExample, outcomes, pathsUnder } from './support.js';

const EXAMPLE = '03-asset-orchestration';
const VIDEO = 'video/spring-2026/PRD-1001 Demo.mp4';
/** Large enough to prove big files stream through, small enough for a test: 96 MiB. */
const VIDEO_SIZE = 96 * 1024 * 1024;

/** Files wait for `stableFor` before they are taken; the test world does not make them wait. */
const noWait = { services: { sleep: async (): Promise<void> => {} } };

type Scratch = Awaited<ReturnType<typeof makeScratch>>;

interface VersionRow {
  readonly Title: string;
  readonly VersionNumber: string;
  readonly ContentDocumentId: string;
  readonly FirstPublishLocationId: string;
  readonly ContentSize: number;
  readonly Checksum: string;
}

/**
 * Writes an MP4 of `size` bytes: an `ftyp` box (ISO base media, brand isom) and one `mdat` box of random
 * data, streamed to disk. Returns its SHA-256.
 */
async function writeVideo(path: string, size: number): Promise<string> {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41')]);
  const mdatSize = size - ftyp.length;
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(mdatSize, 0);
  mdat.write('mdat', 4, 'latin1');
  async function* body(): AsyncGenerator<Buffer> {
    yield ftyp;
    yield mdat;
    for await (const chunk of randomStream(mdatSize - mdat.length, 'asset-video')) yield chunk as Buffer;
  }
  const hash = createHash('sha256');
  const tee = new PassThrough();
  tee.on('data', (c: Buffer) => hash.update(c));
  await mkdir(dirname(path), { recursive: true });
  await pipeline(Readable.from(body()), tee, createWriteStream(path));
  return hash.digest('hex');
}

async function digestOf(path: string, algorithm: 'sha256' | 'md5'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

describe('example 03: studio assets sorted into the content repository, hero photos onto Product2', () => {
  const servers = inject('servers');
  let world: JobWorld;
  let org: TestOrg;
  let studio: Scratch;
  let repo: Scratch;
  let job: LoadedJob;
  let videoSha256: string;

  beforeAll(async () => {
    world = await jobWorld('example-03');
    org = await startTestOrg({ seed: 'demo', port: 0 });
    await copyExample(world, EXAMPLE);
    studio = await makeScratch(servers.sftp.home, 'studio');
    repo = await makeScratch(servers.ftp['vsftpd-explicit'].home, 'content-repo');
    await addSftpConnection(world, 'partner-sftp', servers.sftp, studio.path);
    await addFtpConnection(world, 'content-repo', servers.ftp['vsftpd-explicit'], repo.name);
    await addOrgConnection(world, 'org', org);
    // The studio's delivery: the sample photos and artwork in their folders, and a large video made here.
    await cp(join(world.work, 'samples/incoming'), join(studio.path, 'deliveries'), { recursive: true });
    videoSha256 = await writeVideo(join(studio.path, 'deliveries', VIDEO), VIDEO_SIZE);
    await chownTree(studio.path, studio.owner.uid, studio.owner.gid);
    job = await loadJobFile(join(world.work, 'job.yaml'));
  });
  afterAll(async () => {
    await studio?.remove();
    await repo?.remove();
    await org?.close();
    await world?.close();
  });

  const sample = (path: string): Promise<Buffer> => readFile(join(world.work, 'samples/incoming', path));
  const productId = async (code: string): Promise<string> => {
    const [row] = await org.session().query<{ Id: string }>(`SELECT Id FROM Product2 WHERE ProductCode = '${code}'`, 'product');
    if (row === undefined) throw new Error(`no Product2 with ProductCode ${code}`);
    return row.Id;
  };

  it('previews every file: where it would go, which Product2 record it would be attached to, what is refused', async () => {
    const preview = await world.run(job, { ...noWait, dryRun: true });
    expect(outcomes(preview)).toEqual([
      ['artwork/PRD-1001_label.pdf', 'planned'],
      ['spring-2026/IMG_4711.jpg', 'quarantined'],
      ['spring-2026/PRD-1001/PRD-1001 Hero.JPG', 'planned'],
      ['spring-2026/PRD-1001/PRD-1001_side.png', 'planned'],
      ['spring-2026/PRD-1002/PRD-1002_hero.jpg', 'quarantined'],
      ['spring-2026/PRD-1003/PRD-1003_hero.jpg', 'quarantined'],
      ['spring-2026/PRD-1005/PRD-1005_back.jpeg', 'planned'],
      ['spring-2026/PRD-1005/PRD-1005-hero.jpg', 'planned'],
      [VIDEO, 'planned'],
    ]);
    const hero = preview.files.find((f) => f.path === 'spring-2026/PRD-1001/PRD-1001 Hero.JPG');
    expect(hero?.deliveries.map((d) => [d.route, d.target, d.status, d.match])).toEqual([
      ['images', 'content-repo:images/PRD-1001/PRD-1001_hero.jpg', 'planned', undefined],
      ['product-hero', `org:Product2/${await productId('PRD-1001')}/PRD-1001_hero.jpg`, 'planned', 'exact'],
    ]);
    expect(preview.files.find((f) => f.path === VIDEO)?.deliveries.map((d) => d.target)).toEqual(['content-repo:video/PRD-1001/PRD-1001_demo.mp4']);
    expect(await pathsUnder(repo.path)).toEqual([]);
    expect((await org.admin.state()).records.ContentVersion).toBe(0);
  });

  it('delivers the large video, photos and artwork into type folders, attaches hero photos, quarantines the rest', async () => {
    const result = await world.run(job, noWait);
    expect(result.status).toBe('succeeded');
    expect(outcomes(result)).toEqual([
      ['artwork/PRD-1001_label.pdf', 'delivered'],
      ['spring-2026/IMG_4711.jpg', 'quarantined'],
      ['spring-2026/PRD-1001/PRD-1001 Hero.JPG', 'delivered'],
      ['spring-2026/PRD-1001/PRD-1001_side.png', 'delivered'],
      ['spring-2026/PRD-1002/PRD-1002_hero.jpg', 'quarantined'],
      ['spring-2026/PRD-1003/PRD-1003_hero.jpg', 'quarantined'],
      ['spring-2026/PRD-1005/PRD-1005_back.jpeg', 'delivered'],
      ['spring-2026/PRD-1005/PRD-1005-hero.jpg', 'delivered'],
      [VIDEO, 'delivered'],
    ]);

    // The content repository: one folder per type and product, files renamed <sku>_<view>.<ext>.
    expect(await pathsUnder(repo.path)).toEqual([
      'artwork/PRD-1001/PRD-1001_label.pdf',
      'images/PRD-1001/PRD-1001_hero.jpg',
      'images/PRD-1001/PRD-1001_side.png',
      'images/PRD-1005/PRD-1005_back.jpeg',
      'images/PRD-1005/PRD-1005_hero.jpg',
      'video/PRD-1001/PRD-1001_demo.mp4',
    ]);
    const same = async (delivered: string, original: string): Promise<boolean> => (await readFile(join(repo.path, delivered))).equals(await sample(original));
    expect(await same('artwork/PRD-1001/PRD-1001_label.pdf', 'artwork/PRD-1001_label.pdf')).toBe(true);
    expect(await same('images/PRD-1001/PRD-1001_hero.jpg', 'spring-2026/PRD-1001/PRD-1001 Hero.JPG')).toBe(true);
    expect(await same('images/PRD-1001/PRD-1001_side.png', 'spring-2026/PRD-1001/PRD-1001_side.png')).toBe(true);
    expect(await same('images/PRD-1005/PRD-1005_back.jpeg', 'spring-2026/PRD-1005/PRD-1005_back.jpeg')).toBe(true);
    expect(await same('images/PRD-1005/PRD-1005_hero.jpg', 'spring-2026/PRD-1005/PRD-1005-hero.jpg')).toBe(true);
    const video = join(repo.path, 'video/PRD-1001/PRD-1001_demo.mp4');
    expect((await stat(video)).size).toBe(VIDEO_SIZE);
    expect(await digestOf(video, 'sha256')).toBe(videoSha256);

    // Salesforce: each hero photo is a file on the Product2 record with its ProductCode.
    const versions = await org
      .session()
      .query<VersionRow>('SELECT Title, VersionNumber, ContentDocumentId, FirstPublishLocationId, ContentSize, Checksum FROM ContentVersion ORDER BY Title', 'hero photos');
    const [p1001, p1005] = [await productId('PRD-1001'), await productId('PRD-1005')];
    expect(versions.map((v) => [v.Title, v.VersionNumber, v.FirstPublishLocationId])).toEqual([
      ['PRD-1001_hero', '1', p1001],
      ['PRD-1005_hero', '1', p1005],
    ]);
    const md5 = (path: string): Promise<string> => digestOf(join(world.work, 'samples/incoming', path), 'md5');
    expect(versions.map((v) => v.Checksum)).toEqual([await md5('spring-2026/PRD-1001/PRD-1001 Hero.JPG'), await md5('spring-2026/PRD-1005/PRD-1005-hero.jpg')]);
    for (const [version, product] of [[versions[0], p1001], [versions[1], p1005]] as const) {
      const links = await org
        .session()
        .query<{ LinkedEntityId: string }>(`SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${version?.ContentDocumentId ?? ''}'`, 'links');
      expect(links.map((l) => l.LinkedEntityId)).toContain(product);
    }

    // The studio's server: every file taken moved to processed/<day>/, nothing left to take.
    const run = (await world.workspace.history()).run(result.runId as RunId);
    const day = formatDate(new Date(run?.startedAt ?? Number.NaN), 'yyyy-MM-dd');
    expect(await pathsUnder(join(studio.path, 'deliveries'))).toEqual(
      ['IMG_4711.jpg', 'PRD-1001 Demo.mp4', 'PRD-1001 Hero.JPG', 'PRD-1001_label.pdf', 'PRD-1001_side.png', 'PRD-1002_hero.jpg', 'PRD-1003_hero.jpg', 'PRD-1005-hero.jpg', 'PRD-1005_back.jpeg'].map(
        (name) => `processed/${day}/${name}`,
      ),
    );

    // The quarantine: each refused file with the rule it broke.
    const held = (await world.workspace.history()).journal().quarantined({ job: 'asset-orchestration' });
    expect(Object.fromEntries(held.map((q) => [q.file, q.reasons.map((r) => r.rule)]))).toEqual({
      'spring-2026/IMG_4711.jpg': ['name'],
      'spring-2026/PRD-1002/PRD-1002_hero.jpg': ['content-type'],
      'spring-2026/PRD-1003/PRD-1003_hero.jpg': ['size'],
    });
    expect(held.find((q) => q.file.endsWith('PRD-1002_hero.jpg'))?.reasons[0]?.message).toMatch(/the content is png \(image\/png\), not jpg as the extension says/);

    // The history: the run, and the video's item with its delivered size and target.
    const history = await world.workspace.history();
    expect(run).toMatchObject({ status: 'succeeded', files: 6, skipped: 3, failed: 0 });
    const items = history.runItems(result.runId as RunId, { limit: 20 });
    expect(items.find((i) => i.sourcePath === VIDEO)).toMatchObject({ status: 'moved', stage: 'done', bytes: VIDEO_SIZE, targetPath: 'content-repo:video/PRD-1001/PRD-1001_demo.mp4' });
    expect(items.find((i) => i.sourcePath === 'spring-2026/PRD-1001/PRD-1001 Hero.JPG')?.reason).toBe(
      `images → content-repo:images/PRD-1001/PRD-1001_hero.jpg; product-hero → org:Product2/${p1001}/PRD-1001_hero.jpg`,
    );
  });

  it('takes nothing on the next run: handled files are below processed/, which the job excludes', async () => {
    const again = await world.run(job, noWait);
    expect(again.files).toEqual([]);
    expect((await org.admin.state()).records.ContentVersion).toBe(2);
  });

  it('a hero photo of a product not yet in Salesforce: the repository gets it at once, Salesforce once the product exists', async () => {
    const photo = 'spring-2026/PRD-1099/PRD-1099_hero.jpg';
    const LONG_AGO = new Date('2001-01-01T00:00:00Z');
    const bytes = await sample('spring-2026/PRD-1005/PRD-1005-hero.jpg');
    await mkdir(join(studio.path, 'deliveries', 'spring-2026/PRD-1099'), { recursive: true });
    await cp(join(world.work, 'samples/incoming/spring-2026/PRD-1005/PRD-1005-hero.jpg'), join(studio.path, 'deliveries', photo));
    await chownTree(studio.path, studio.owner.uid, studio.owner.gid);

    const first = await world.run(job, noWait);
    expect(outcomes(first)).toEqual([[photo, 'failed']]);
    expect(first.files[0]?.deliveries.map((d) => [d.route, d.status])).toEqual([
      ['images', 'delivered'],
      ['product-hero', 'failed'],
    ]);
    expect(first.files[0]?.reason).toMatch(/^product-hero: .*PRD-1099/);
    const inRepo = join(repo.path, 'images/PRD-1099/PRD-1099_hero.jpg');
    expect((await readFile(inRepo)).equals(bytes)).toBe(true);
    await utimes(inRepo, LONG_AGO, LONG_AGO);
    expect((await readFile(join(studio.path, 'deliveries', photo))).equals(bytes)).toBe(true);
    expect((await org.admin.state()).records.ContentVersion).toBe(2);

    const created = await org.session().json<{ id: string }>('POST', '/sobjects/Product2', 'new product', { Name: 'Pressure Gauge PG-1', ProductCode: 'PRD-1099' });
    const second = await world.run(job, noWait);
    expect(outcomes(second)).toEqual([[photo, 'delivered']]);
    expect(second.files[0]?.deliveries.map((d) => [d.route, d.status])).toEqual([
      ['images', 'delivered'],
      ['product-hero', 'delivered'],
    ]);
    // The repository copy was not sent again: it still has the old time it was given after the first run.
    expect((await stat(inRepo)).mtime).toEqual(LONG_AGO);
    const [version] = await org
      .session()
      .query<VersionRow>("SELECT Title, VersionNumber, ContentDocumentId, FirstPublishLocationId, ContentSize, Checksum FROM ContentVersion WHERE Title = 'PRD-1099_hero'", 'new hero');
    expect(version).toMatchObject({ VersionNumber: '1', FirstPublishLocationId: created.id, ContentSize: bytes.length });
    expect(await pathsUnder(join(studio.path, 'deliveries/spring-2026'))).toEqual([]);
  });
});
