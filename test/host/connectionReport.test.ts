import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { portForward, type PortForward } from '../helpers/portForward.js';
import { openHost, type OpenHost } from './openHost.js';

const { ftp } = inject('servers');
const plain = ftp['vsftpd-plain'];
const explicit = ftp['vsftpd-explicit'];

/** What "Test" says about real servers, through the contract the window uses. */
describe('the report of a connection test', () => {
  let host: OpenHost;
  let forward: PortForward | undefined;

  beforeEach(async () => {
    host = await openHost('ferry-connection-report-');
  });
  afterEach(async () => {
    await forward?.close();
    forward = undefined;
    await host.close();
  });

  it("tells an FTPS server's TLS session reuse and its clock", async () => {
    const url = `ftpes://${explicit.user}@${explicit.host}:${explicit.port}/`;
    const probed = await host.call('connections.probe', { name: 'partner', url, password: explicit.password, tlsFingerprint: explicit.certFingerprint256 });
    expect(probed.outcome === 'connected' ? [probed.report.tlsSessionReuse, probed.report.clock?.kind] : probed).toEqual(['required', 'measured']);
  });

  it('explains a server whose passive data ports a firewall blocks while its control port is forwarded', async () => {
    // Another address of this computer forwards the FTP port alone, as a partner's firewall would: the
    // sign-in works, and the data connection, made to the same address, meets a closed port.
    forward = await portForward(plain, '127.0.0.2');
    const url = `ftp://${plain.user}@${forward.host}:${forward.port}/`;
    const probed = await host.call('connections.probe', { name: 'partner', url, password: plain.password });
    const problem = probed.outcome === 'failed' ? probed.problem : undefined;
    expect([problem?.cause, problem?.summary]).toEqual(['passiveBlocked', 'Signed in, but the data connection was blocked.']);
    expect(problem?.detail).toContain(`Cannot open the data connection to ${forward.host}`);
    expect(forward.opened).toBeGreaterThan(0);
  });
});
