import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type * as Nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NotificationRule, SmtpServerConfig } from '../../../src/notify/config.js';
import { Notifier } from '../../../src/notify/Notifier.js';
import { mailText, quarantined, selfSignedCertificate, startSmtp, type SelfSignedCertificate, type SmtpFixture } from './fixtures.js';

vi.mock('nodemailer', async (importOriginal) => {
  const real = await importOriginal<typeof Nodemailer>();
  return { ...real, createTransport: vi.fn(real.createTransport) };
});

const PASSWORD = 'smtp-pa55-9c2e41d7';
const TO = ['ops@example.com', 'oncall@example.com'];

let dir: string;
let cert: SelfSignedCertificate;
let otherCert: SelfSignedCertificate;
let certPem: string;
let keyPem: string;
let fixtures: SmtpFixture[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-notify-'));
  [cert, otherCert] = await Promise.all([selfSignedCertificate(dir, 'server'), selfSignedCertificate(dir, 'other')]);
  ({ certPem, keyPem } = cert);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(fixtures.map((f) => f.close()));
  fixtures = [];
  vi.mocked(createTransport).mockClear();
});

async function smtp(...args: Parameters<typeof startSmtp>): Promise<SmtpFixture> {
  const f = await startSmtp(...args);
  fixtures.push(f);
  return f;
}

function notifierFor(servers: Record<string, SmtpServerConfig>, timeoutMs = 10_000): Notifier {
  return new Notifier({
    smtpServers: (name) => servers[name],
    secret: async (name) => (name === 'smtp-password' ? PASSWORD : undefined),
    timeoutMs,
  });
}

const emailRule = (server?: string, to: string[] = TO): NotificationRule => ({
  on: ['quarantine'],
  email: { to, ...(server === undefined ? {} : { server }) },
});

const plainServer = { authOptional: true, disabledCommands: ['STARTTLS'] };
const tlsServer = { authOptional: true };

describe('e-mail delivery', () => {
  it("sends through a plain server with security 'none'", async () => {
    const server = await smtp(plainServer);
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, security: 'none', from: 'Ferry <ferry@example.com>' },
    }).notify([emailRule()], quarantined);

    expect(outcomes).toEqual(TO.map((recipient) => ({ channel: 'email', recipient, status: 'sent' })));
    expect(server.mails).toHaveLength(1);
    const mail = server.mails[0]!;
    expect(mail.from).toBe('ferry@example.com');
    expect(mail.to).toEqual(TO);
    expect(mail.secure).toBe(false);
    const { headers, body } = mailText(mail.raw);
    expect(headers).toMatch(/^Subject: \[Ferry\] File quarantined: orders\.csv$/m);
    expect(headers).toMatch(/^To: ops@example\.com, oncall@example\.com$/m);
    expect(headers).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(headers).toMatch(/^X-Ferry-Event: quarantine$/m);
    expect(body).toContain(quarantined.text);
    expect(body).toContain('Job: orders-inbound');
    expect(body).toContain('Run: 42');
    for (const [key, value] of Object.entries(quarantined.facts)) expect(body).toContain(`${key}: ${String(value)}`);
  });

  it('upgrades with STARTTLS and verifies the certificate against the given CA', async () => {
    const server = await smtp({ ...tlsServer, key: keyPem, cert: certPem });
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, security: 'starttls', from: 'ferry@example.com', ca: cert.certPath },
    }).notify([emailRule()], quarantined);
    expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent']);
    expect(server.mails[0]?.secure).toBe(true);
  });

  it('refuses a self-signed certificate that is not trusted', async () => {
    const server = await smtp({ ...tlsServer, key: keyPem, cert: certPem });
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, from: 'ferry@example.com' },
    }).notify([emailRule()], quarantined);
    expect(server.mails).toHaveLength(0);
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes) expect(o).toMatchObject({ channel: 'email', status: 'failed', error: expect.stringMatching(/self[- ]signed/i) as unknown });
  });

  it('refuses a certificate that the given CA did not sign', async () => {
    const server = await smtp({ ...tlsServer, key: keyPem, cert: certPem });
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, security: 'starttls', from: 'ferry@example.com', ca: otherCert.certPath },
    }).notify([emailRule()], quarantined);
    expect(server.mails).toHaveLength(0);
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
  });

  it("refuses to continue in plain text when 'starttls' is not offered", async () => {
    const server = await smtp(plainServer);
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, security: 'starttls', from: 'ferry@example.com' },
    }).notify([emailRule()], quarantined);
    expect(server.mails).toHaveLength(0);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/STARTTLS/) as unknown });
  });

  it("speaks TLS from the first byte with 'tls'", async () => {
    const server = await smtp({ ...tlsServer, secure: true, key: keyPem, cert: certPem });
    const outcomes = await notifierFor({
      relay: { host: '127.0.0.1', port: server.port, security: 'tls', from: 'ferry@example.com', ca: cert.certPath },
    }).notify([emailRule('relay', ['ops@example.com'])], quarantined);
    expect(outcomes).toEqual([{ channel: 'email', recipient: 'ops@example.com', status: 'sent' }]);
    expect(server.mails[0]?.secure).toBe(true);
  });

  it('logs in with the password from the secret store, and never reports it', async () => {
    const server = await smtp({
      key: keyPem,
      cert: certPem,
      onAuth(auth, _session, callback) {
        if (auth.username === 'ferry' && auth.password === PASSWORD) callback(null, { user: 'ferry' });
        else callback(new Error(`Invalid username or password ${auth.password ?? ''}`));
      },
    });
    const config = { host: '127.0.0.1', port: server.port, from: 'ferry@example.com', ca: cert.certPath, user: 'ferry', passwordSecret: 'smtp-password' };
    const ok = await notifierFor({ default: config }).notify([emailRule()], quarantined);
    expect(ok.map((o) => o.status)).toEqual(['sent', 'sent']);
    expect(server.mails[0]?.user).toBe('ferry');

    const wrong = await notifierFor({ default: { ...config, user: 'intruder' } }).notify([emailRule()], quarantined);
    expect(wrong.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(wrong[0]?.error).toMatch(/Invalid username or password/);
    expect(JSON.stringify(wrong)).not.toContain(PASSWORD);
  });

  it('reports a missing password secret without connecting', async () => {
    const server = await smtp(plainServer);
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, from: 'f@example.com', ca: cert.certPath, user: 'ferry', passwordSecret: 'nope' },
    }).notify([emailRule()], quarantined);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: 'the secret "nope" is not in the secret store' });
  });

  it('reports each recipient the server refuses', async () => {
    const server = await smtp({
      ...plainServer,
      onRcptTo(address, _session, callback) {
        callback(address.address.startsWith('nobody') ? Object.assign(new Error('No such user'), { responseCode: 550 }) : null);
      },
    });
    const outcomes = await notifierFor({
      default: { host: '127.0.0.1', port: server.port, security: 'none', from: 'ferry@example.com' },
    }).notify([emailRule(undefined, ['ops@example.com', 'nobody@example.com'])], quarantined);
    expect(outcomes[0]).toEqual({ channel: 'email', recipient: 'ops@example.com', status: 'sent' });
    expect(outcomes[1]).toMatchObject({ recipient: 'nobody@example.com', status: 'failed', error: expect.stringMatching(/550.*No such user/) as unknown });
    expect(server.mails[0]?.to).toEqual(['ops@example.com']);
  });

  it('reports an unknown server name and an unreadable CA file', async () => {
    const n = notifierFor({ broken: { host: '127.0.0.1', port: 25, from: 'f@example.com', ca: join(dir, 'missing.pem') } });
    const unknown = await n.notify([emailRule('elsewhere', ['ops@example.com'])], quarantined);
    expect(unknown).toEqual([
      { channel: 'email', recipient: 'ops@example.com', status: 'failed', error: 'no SMTP server named "elsewhere" in the workspace settings' },
    ]);
    const noCa = await n.notify([emailRule('broken', ['ops@example.com'])], quarantined);
    expect(noCa[0]?.error).toMatch(/CA file/);
  });

  it('fails with a timeout when the server never greets', async () => {
    const silent: Server = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const { port } = silent.address() as AddressInfo;
      const outcomes = await notifierFor({ default: { host: '127.0.0.1', port, security: 'none', from: 'f@example.com' } }, 400).notify(
        [emailRule(undefined, ['ops@example.com'])],
        quarantined,
      );
      // Whichever of the delivery deadline and the mailer's own timers fires first, it is the configured 400 ms.
      expect(outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^timed out after 400 ms|Greeting never received/) as unknown });
      expect(vi.mocked(createTransport).mock.calls[0]?.[0]).toMatchObject({ connectionTimeout: 400, greetingTimeout: 400, socketTimeout: 400 });
    } finally {
      silent.close();
    }
  });

  it('keeps one transport per server and replaces it when the settings change', async () => {
    const server = await smtp(plainServer);
    const servers: Record<string, SmtpServerConfig> = {
      default: { host: '127.0.0.1', port: server.port, security: 'none', from: 'ferry@example.com' },
    };
    const n = notifierFor(servers);
    await n.notify([emailRule()], quarantined);
    await n.notify([emailRule()], quarantined);
    expect(vi.mocked(createTransport)).toHaveBeenCalledTimes(1);
    servers['default'] = { ...servers['default']!, from: 'other@example.com' };
    await n.notify([emailRule()], quarantined);
    expect(vi.mocked(createTransport)).toHaveBeenCalledTimes(2);
    expect(server.mails.map((m) => m.from)).toEqual(['ferry@example.com', 'ferry@example.com', 'other@example.com']);
  });

  it('never turns certificate verification off', async () => {
    const server = await smtp(plainServer);
    await notifierFor({ default: { host: '127.0.0.1', port: server.port, security: 'none', from: 'f@example.com' } }).notify(
      [emailRule()],
      quarantined,
    );
    const options = vi.mocked(createTransport).mock.calls[0]?.[0] as Nodemailer.SMTPTransportOptions;
    expect(options.tls?.rejectUnauthorized).toBe(true);
    expect(options.ignoreTLS).toBe(true);
  });
});
