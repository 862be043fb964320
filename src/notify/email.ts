import { createTransport, type SMTPSentMessageInfo, type SMTPTransportOptions, type Transporter } from 'nodemailer';
import type { ConnectionOptions } from 'node:tls';
import { loadTlsTrust } from '../security/tlsTrust.js';
import { systemRootCertificates } from '../security/systemRoots.js';
import { DEFAULT_SMTP_SECURITY, type SmtpServerConfig } from './config.js';
import type { DeliveryOutcome, Notification } from './Notification.js';
import { Deadline, DeliveryTimeout } from './Deadline.js';
import { describeError, failed, sent } from './outcome.js';

type SmtpTransporter = Transporter<SMTPSentMessageInfo, SMTPTransportOptions>;

export interface EmailOptions {
  readonly smtpServers: (name: string) => SmtpServerConfig | undefined;
  readonly secret: (name: string) => Promise<string | undefined>;
  readonly timeoutMs: number;
}

interface CachedTransport {
  /** The settings it was built from: an edited server gets a new transport. */
  readonly settings: string;
  readonly transporter: Promise<SmtpTransporter>;
}

/** One transport per SMTP server name, kept for the life of the sender. */
export class EmailSender {
  readonly #opts: EmailOptions;
  readonly #transports = new Map<string, CachedTransport>();

  constructor(opts: EmailOptions) {
    this.#opts = opts;
  }

  /** Sends one message to `to` through `serverName`; one outcome per address. */
  async send(serverName: string, to: ReadonlyArray<string>, n: Notification): Promise<ReadonlyArray<DeliveryOutcome>> {
    const secrets: string[] = [];
    const allFailed = (error: string): ReadonlyArray<DeliveryOutcome> => to.map((r) => failed('email', r, error, secrets));
    const deadline = new Deadline(this.#opts.timeoutMs);
    try {
      const server = this.#opts.smtpServers(serverName);
      if (server === undefined) return allFailed(`no SMTP server named ${JSON.stringify(serverName)} in the workspace settings`);

      let auth: { user: string; pass: string } | undefined;
      if (server.user !== undefined && server.passwordSecret !== undefined) {
        const pass = await deadline.race(this.#opts.secret(server.passwordSecret));
        if (pass === undefined || pass === '') return allFailed(`the secret ${JSON.stringify(server.passwordSecret)} is not in the secret store`);
        secrets.push(pass);
        auth = { user: server.user, pass };
      }

      const transporter = await deadline.race(this.#transport(serverName, server));
      const info = await transporter.sendMail({
        from: server.from,
        to: [...to],
        subject: `[Ferry] ${oneLine(n.subject)}`,
        text: body(n),
        headers: {
          // RFC 3834: keeps out-of-office replies from answering a machine.
          'Auto-Submitted': 'auto-generated',
          'X-Ferry-Event': n.event,
          'X-Ferry-Job': oneLine(n.job),
        },
        // The password is read at every send so that a rotated secret takes effect without a restart.
        ...(auth === undefined ? {} : { auth }),
        signal: deadline.signal,
      });
      return to.map((address) => {
        const rejected = info.rejectedErrors?.find((e) => sameAddress(e.recipient, address));
        if (rejected !== undefined || info.rejected.some((r) => sameAddress(r, address))) {
          return failed('email', address, `refused by the server: ${rejected?.response ?? rejected?.message ?? 'recipient rejected'}`, secrets);
        }
        return sent('email', address);
      });
    } catch (e) {
      return allFailed(explain(e, serverName, deadline));
    }
  }

  #transport(name: string, server: SmtpServerConfig): Promise<SmtpTransporter> {
    const settings = JSON.stringify(server);
    const cached = this.#transports.get(name);
    if (cached !== undefined && cached.settings === settings) return cached.transporter;
    cached?.transporter.then((t) => t.close()).catch(() => undefined);
    const transporter = buildTransport(server, this.#opts.timeoutMs);
    this.#transports.set(name, { settings, transporter });
    // A CA file that could not be read now may be fixed by the next run.
    transporter.catch(() => {
      if (this.#transports.get(name)?.transporter === transporter) this.#transports.delete(name);
    });
    return transporter;
  }
}

function explain(e: unknown, serverName: string, deadline: Deadline): string {
  const where = `SMTP server ${JSON.stringify(serverName)}`;
  if (e instanceof DeliveryTimeout || (e as { code?: unknown } | null)?.code === 'EABORT') return `${deadline.message} (${where})`;
  const text = describeError(e);
  const hint = /certificate|CERT_/i.test(text) ? " (for a company CA, give its PEM file as the server's ca)" : '';
  return `${where}: ${text}${hint}`;
}

async function buildTransport(server: SmtpServerConfig, timeoutMs: number): Promise<SmtpTransporter> {
  const security = server.security ?? DEFAULT_SMTP_SECURITY;
  const trust = await loadTlsTrust(server.ca === undefined ? {} : { caFile: server.ca });
  // Verification stays on whatever the settings say: a CA file narrows trust, it never switches it off.
  const tls: ConnectionOptions = {
    ca: trust.kind === 'ca' ? trust.caPem : [...systemRootCertificates()],
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  };
  return createTransport({
    host: server.host,
    port: server.port,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    // 'none' means plain text on purpose; an opportunistic upgrade would then fail on an unverifiable certificate.
    ignoreTLS: security === 'none',
    tls,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // The messages are plain text built here; nothing should make the mailer read files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

function body(n: Notification): string {
  const lines = [n.text.trimEnd(), '', `Job: ${n.job}`];
  if (n.runId !== undefined) lines.push(`Run: ${n.runId}`);
  lines.push(`Event: ${n.event}`);
  for (const [key, value] of Object.entries(n.facts)) lines.push(`${key}: ${oneLine(String(value))}`);
  return `${lines.join('\n')}\n`;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

function sameAddress(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}
