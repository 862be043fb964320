import { z } from 'zod';

export const NOTIFICATION_EVENTS = ['quarantine', 'failure', 'sla', 'success', 'returned'] as const;
export const DEFAULT_SMTP_SERVER = 'default';
export const DEFAULT_SMTP_SECURITY = 'starttls';

/** RFC 9110 token: anything else would be refused by fetch or could smuggle a second header. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers Ferry sets itself or the HTTP stack owns; a rule must not be able to replace them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'user-agent', 'transfer-encoding', 'connection']);
const SECRET_NAME = z.string().min(1).max(200);

const eventSchema = z.enum(NOTIFICATION_EVENTS).describe(
  'quarantine: a file was set aside; failure: the run failed; sla: the run missed its deadline; success: the run succeeded; returned: a partner returned a file',
);

const emailTargetSchema = z
  .strictObject({
    to: z.array(z.email().describe('A recipient address, e.g. ops@example.com')).min(1).describe('Who receives the e-mail'),
    server: z
      .string()
      .min(1)
      .default(DEFAULT_SMTP_SERVER)
      .describe(`Name of an SMTP server from the workspace settings; "${DEFAULT_SMTP_SERVER}" when omitted`),
  })
  .describe('Send an e-mail');

const secretHeaderSchema = z
  .strictObject({
    name: z
      .string()
      .regex(HEADER_NAME, 'not a valid HTTP header name')
      .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), 'this header is set by Ferry')
      .describe('HTTP header that carries the secret, e.g. Authorization or X-Api-Key'),
    secret: SECRET_NAME.describe('Name of the secret in the secret store whose value is sent as the header value; never the value itself'),
  })
  .describe('A header whose value comes from the secret store, for endpoints that authenticate callers');

const webhookTargetSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      // fetch refuses URLs with credentials, and credentials belong in the secret store anyway.
      .refine((u) => !/^https?:\/\/[^/?#]*@/i.test(u), 'must not contain a user name or password: use secretHeader')
      .describe('Endpoint that receives a JSON POST (Teams, Slack, an incident system...)'),
    secretHeader: secretHeaderSchema.optional(),
  })
  .describe('POST the notification as JSON');

export const notificationRuleSchema = z
  .strictObject({
    on: z.array(eventSchema).min(1).describe('Events that trigger this rule'),
    email: emailTargetSchema.optional(),
    webhook: webhookTargetSchema.optional(),
    desktop: z.boolean().optional().describe('Show a desktop notification when the app is running'),
  })
  .refine((r) => r.email !== undefined || r.webhook !== undefined || r.desktop === true, {
    message: 'a rule needs at least one of email, webhook or desktop: true',
  })
  .describe('Who is told about which events of a job, and how');

export const smtpServerSchema = z
  .strictObject({
    host: z.string().min(1).describe('Host name or IP address of the SMTP server'),
    port: z.number().int().min(1).max(65535).describe('Usually 465 for tls, 587 for starttls, 25 for none'),
    security: z
      .enum(['tls', 'starttls', 'none'])
      .default(DEFAULT_SMTP_SECURITY)
      .describe('tls: TLS from the first byte; starttls: upgrade and refuse to continue without it; none: plain text. Certificates are always verified'),
    from: z.string().min(1).describe('Sender, e.g. "Ferry <ferry@example.com>"'),
    user: z.string().min(1).optional().describe('Login name when the server requires authentication'),
    passwordSecret: SECRET_NAME.optional().describe('Name of the secret in the secret store holding the password; never the password itself'),
    ca: z
      .string()
      .min(1)
      .optional()
      .describe("Path of a PEM file with the CA certificate(s) that signed the server's certificate, for a company CA; replaces the system store"),
  })
  .refine((s) => (s.user === undefined) === (s.passwordSecret === undefined), {
    message: 'user and passwordSecret go together',
    path: ['passwordSecret'],
  })
  .refine((s) => s.security !== 'none' || s.user === undefined, {
    message: 'a password would travel in clear text: use security tls or starttls',
    path: ['security'],
  })
  .describe('An SMTP server notifications are sent through');

/** What `notify` accepts: parsed rules, or rules written in code that leave the defaults out. */
export type NotificationRule = z.input<typeof notificationRuleSchema>;
export type SmtpServerConfig = z.input<typeof smtpServerSchema>;
