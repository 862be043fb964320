import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { KnownHosts } from '../../src/security/KnownHosts.js';
import { secretKey } from '../../src/security/secretKeys.js';
import { openHost, type OpenHost } from './openHost.js';

const { sftp, ftp } = inject('servers');
const plain = ftp['vsftpd-plain'];

/** A port on this computer where nothing listens: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The site manager's commands through the core, against the real test servers. */
describe('the site manager behind the window', () => {
  let host: OpenHost;

  beforeEach(async () => {
    // The SFTP server's key is known, as after a first "trust": these tests are about signing in.
    host = await openHost('ferry-connections-', (workspace) => new KnownHosts({ path: workspace.paths.knownHosts, policy: 'strict' }).record(sftp.host, sftp.port, Buffer.from(sftp.hostKeyLine.split(' ')[1] ?? '', 'base64')));
  });
  afterEach(() => host.close());

  const ftpUrl = `ftp://${plain.user}@${plain.host}:${plain.port}/`;
  const sftpUrl = `sftp://${sftp.user}@${sftp.host}:${sftp.port}${sftp.home}`;

  it('tests unsaved settings: what the server supports, and saves nothing', async () => {
    const probed = await host.call('connections.probe', { name: 'partner', url: ftpUrl, password: plain.password });
    expect(probed.outcome).toBe('connected');
    expect(probed.outcome === 'connected' && probed.report.capabilities).toMatchObject({ resume: true, rename: true });
    expect(await host.call('connections.list', {})).toEqual({ connections: [] });
    expect(await host.workspace.secrets.get(secretKey('partner', 'password'))).toBeUndefined();
  });

  it('explains a wrong password on FTP and on SFTP in plain words', async () => {
    const ftpProbe = await host.call('connections.probe', { name: 'partner', url: ftpUrl, password: 'not-the-password' });
    expect(ftpProbe).toMatchObject({ outcome: 'failed', problem: { cause: 'credentials', summary: 'The server refused the user name or password.' } });
    expect(ftpProbe.outcome === 'failed' && ftpProbe.problem.detail).toMatch(/530/);
    const sftpProbe = await host.call('connections.probe', { name: 'partner', url: sftpUrl, password: 'not-the-password' });
    expect(sftpProbe).toMatchObject({ outcome: 'failed', problem: { cause: 'credentials' } });
  });

  it('explains a refused port, for FTP and SFTP', async () => {
    const port = await closedPort();
    for (const url of [`ftp://ops@127.0.0.1:${port}/`, `sftp://ops@127.0.0.1:${port}/`]) {
      const probed = await host.call('connections.probe', { name: 'partner', url, password: 'x' });
      expect(probed).toMatchObject({ outcome: 'failed', problem: { cause: 'refused', summary: 'The server refused the connection.' } });
    }
  });

  it('tests a saved connection and tells every window it connected, or why it failed', async () => {
    await host.call('connections.add', { name: 'partner', url: ftpUrl, password: plain.password, test: false });
    expect(await host.call('connections.test', { name: 'partner' })).toMatchObject({ outcome: 'connected', report: { capabilities: { resume: true } } });
    expect(host.seen).toContainEqual({ event: 'connection.status', payload: { name: 'partner', state: 'connected' } });

    await host.call('connections.edit', { name: 'partner', url: ftpUrl, password: 'wrong', test: false });
    expect(await host.call('connections.test', { name: 'partner' })).toMatchObject({ outcome: 'failed', problem: { cause: 'credentials' } });
    expect(host.seen.at(-1)).toMatchObject({ event: 'connection.status', payload: { name: 'partner', state: 'failed', problem: { cause: 'credentials' } } });
  });

  it('reports a connection the window could not open with its reason, and its closing', async () => {
    await host.call('connections.add', { name: 'partner', url: ftpUrl, password: 'wrong', test: false });
    const listed = await host.core.invoke('files.list', { connection: 'partner', path: '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
    expect(listed.ok).toBe(false);
    await expect.poll(() => host.seen.find((m) => m.event === 'connection.status')).toMatchObject({ payload: { name: 'partner', state: 'failed', problem: { cause: 'credentials' } } });

    await host.call('connections.edit', { name: 'partner', url: ftpUrl, password: plain.password, test: false });
    expect((await host.core.invoke('files.list', { connection: 'partner', path: '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } })).ok).toBe(true);
    await expect.poll(() => host.seen.filter((m) => m.event === 'connection.status').at(-1)).toMatchObject({ payload: { name: 'partner', state: 'connected' } });
    await host.call('connections.remove', { name: 'partner' });
    expect(host.seen.filter((m) => m.event === 'connection.status').at(-1)).toEqual({ event: 'connection.status', payload: { name: 'partner', state: 'closed' } });
  });

  it('loads a saved connection for editing without its password; an empty password keeps the stored one', async () => {
    await host.call('connections.add', { name: 'partner', url: sftpUrl, password: sftp.password, test: false });
    const editable = await host.call('connections.get', { name: 'partner' });
    expect(editable).toEqual({ name: 'partner', url: `sftp://${sftp.user}@${sftp.host}:${sftp.port}${sftp.home}`, signIn: 'password', secretStored: true, sdrive: false });
    expect(JSON.stringify(editable)).not.toContain(sftp.password);

    // Testing the form as it stands (password left empty) uses the stored password.
    expect((await host.call('connections.probe', { name: 'partner', url: `sftp://${sftp.user}@${sftp.host}:${sftp.port}/` })).outcome).toBe('connected');
    const edited = await host.call('connections.edit', { name: 'partner', url: `sftp://${sftp.user}@${sftp.host}:${sftp.port}/`, password: '', test: true });
    expect(edited.connection.location).toBe(`sftp://${sftp.user}@${sftp.host}:${sftp.port}/`);
    expect(await host.workspace.secrets.get(secretKey('partner', 'password'))).toBe(sftp.password);
  });

  it('leaves a connection as it was when an edit tested first does not connect', async () => {
    await host.call('connections.add', { name: 'partner', url: ftpUrl, password: plain.password, test: false });
    const refused = await host.core.invoke('connections.edit', { name: 'partner', url: ftpUrl, password: 'wrong', test: true });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(await host.workspace.secrets.get(secretKey('partner', 'password'))).toBe(plain.password);
  });

  it('keeps on an edit the settings the form does not show: a CA file, the connection budget', async () => {
    const tls = ftp['vsftpd-explicit'];
    const caFile = tls.caFile ?? '';
    await host.workspace.saveConnection(
      { name: 'partner', kind: 'ftp', security: 'explicit', host: tls.host, port: tls.port, user: tls.user, root: '', hasPassword: true, caFile, maxConnections: 2 },
      { password: tls.password },
    );
    const url = `ftpes://${tls.user}@${tls.host}:${tls.port}/`;
    expect(await host.call('connections.probe', { name: 'partner', url })).toMatchObject({ outcome: 'connected' });
    await host.call('connections.edit', { name: 'partner', url, test: true });
    expect(await host.workspace.connections.get('partner')).toMatchObject({ caFile, maxConnections: 2, hasPassword: true });
  });

  it('switching an SFTP connection to a key removes the password it no longer uses', async () => {
    await host.call('connections.add', { name: 'partner', url: sftpUrl, password: sftp.password, test: false });
    await host.call('connections.edit', { name: 'partner', url: sftpUrl, keyFile: sftp.privateKeyPath, test: true });
    expect(await host.call('connections.get', { name: 'partner' })).toMatchObject({ signIn: 'key', keyFile: sftp.privateKeyPath, secretStored: false });
    expect(await host.workspace.secrets.get(secretKey('partner', 'password'))).toBeUndefined();
  });

  it('imports a FileZilla site list whose stored password signs in, keeping it out of plain files', async () => {
    const pass = Buffer.from(plain.password, 'utf8').toString('base64');
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.67.0" platform="windows"><Servers><Folder expanded="1">Partners
  <Server><Host>${plain.host}</Host><Port>${plain.port}</Port><Protocol>6</Protocol><Type>0</Type><User>${plain.user}</User>
    <Pass encoding="base64">${pass}</Pass><Logontype>1</Logontype><Name>Test partner</Name></Server>
</Folder></Servers></FileZilla3>`;
    const preview = await host.call('connections.import.preview', { fileName: 'sitemanager.xml', text });
    expect(preview.sites).toEqual([
      expect.objectContaining({ id: '0', source: 'Partners/Test partner', name: 'Partners-Test-partner', url: `ftp://${plain.user}@${plain.host}:${plain.port}/` }),
    ]);
    expect(await host.call('connections.import.apply', { fileName: 'sitemanager.xml', text, sites: ['0'] })).toEqual({ saved: [{ source: 'Partners/Test partner', name: 'Partners-Test-partner' }] });
    expect(await host.call('connections.test', { name: 'Partners-Test-partner' })).toMatchObject({ outcome: 'connected' });
    expect(await readFile(join(host.home, 'connections.json'), 'utf8')).not.toContain(plain.password);
  });

  it('refuses malformed XML with the file and line, as an error the window can show', async () => {
    const answer = await host.core.invoke('connections.import.preview', { fileName: 'sitemanager.xml', text: '<FileZilla3>\n<Servers>\n<Server>\n</Servers>' });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'config', message: expect.stringMatching(/^sitemanager\.xml, line 4: not well-formed XML/) as unknown } });
  });
});
