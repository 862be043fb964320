import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notificationRuleSchema, smtpServerSchema } from '../../../src/notify/config.js';

const smtp = { host: 'smtp.example.com', port: 587, from: 'Ferry <ferry@example.com>' };

describe('notificationRuleSchema', () => {
  it('fills in the default SMTP server name', () => {
    const rule = notificationRuleSchema.parse({ on: ['quarantine', 'failure'], email: { to: ['ops@example.com'] } });
    expect(rule).toEqual({ on: ['quarantine', 'failure'], email: { to: ['ops@example.com'], server: 'default' } });
  });

  it('accepts a webhook with a secret header and a desktop flag', () => {
    const input = {
      on: ['sla'],
      webhook: { url: 'https://incidents.example.com/hook?code=1', secretHeader: { name: 'Authorization', secret: 'incident-token' } },
      desktop: true,
    };
    expect(notificationRuleSchema.parse(input)).toEqual(input);
    expect(notificationRuleSchema.safeParse({ on: ['success'], webhook: { url: 'http://10.0.0.5:8080/ferry' } }).success).toBe(true);
  });

  it.each([
    ['no events', { on: [], desktop: true }],
    ['an unknown event', { on: ['deleted'], desktop: true }],
    ['no channel', { on: ['failure'] }],
    ['only desktop: false', { on: ['failure'], desktop: false }],
    ['an invalid address', { on: ['failure'], email: { to: ['ops at example.com'] } }],
    ['no recipients', { on: ['failure'], email: { to: [] } }],
    ['an ftp URL', { on: ['failure'], webhook: { url: 'ftp://example.com/x' } }],
    ['a URL with credentials', { on: ['failure'], webhook: { url: 'https://user:pw@example.com/x' } }],
    ['a header name with a line break', { on: ['failure'], webhook: { url: 'https://x.example.com', secretHeader: { name: 'X-Key\r\nEvil', secret: 's' } } }],
    ['a header Ferry sets itself', { on: ['failure'], webhook: { url: 'https://x.example.com', secretHeader: { name: 'Content-Type', secret: 's' } } }],
    ['an unknown key', { on: ['failure'], desktop: true, sms: '+100' }],
    ['a secret value instead of a name', { on: ['failure'], webhook: { url: 'https://x.example.com', secretHeader: { name: 'X-Key', value: 'abc' } } }],
  ])('refuses %s', (_label, input) => {
    expect(notificationRuleSchema.safeParse(input).success).toBe(false);
  });
});

describe('smtpServerSchema', () => {
  it("defaults to 'starttls'", () => {
    expect(smtpServerSchema.parse(smtp)).toEqual({ ...smtp, security: 'starttls' });
  });

  it('accepts credentials by secret name and a CA bundle', () => {
    const input = { ...smtp, security: 'tls', port: 465, user: 'ferry', passwordSecret: 'smtp-password', ca: '/etc/ferry/corp-ca.pem' };
    expect(smtpServerSchema.parse(input)).toEqual(input);
  });

  it.each([
    ['a way to skip verification', { ...smtp, allowSelfSigned: true }],
    ['rejectUnauthorized', { ...smtp, rejectUnauthorized: false }],
    ['a password value', { ...smtp, user: 'ferry', password: 'hunter2' }],
    ['a user without a password secret', { ...smtp, user: 'ferry' }],
    ['a password secret without a user', { ...smtp, passwordSecret: 'smtp-password' }],
    ['credentials in clear text', { ...smtp, security: 'none', user: 'ferry', passwordSecret: 'smtp-password' }],
    ['an unknown security mode', { ...smtp, security: 'ssl' }],
    ['a port out of range', { ...smtp, port: 70000 }],
  ])('refuses %s', (_label, input) => {
    expect(smtpServerSchema.safeParse(input).success).toBe(false);
  });
});

describe('published JSON Schema', () => {
  /** Every property and array item, at any depth, with its path. */
  function properties(schema: unknown, path = ''): Array<[string, Record<string, unknown>]> {
    if (typeof schema !== 'object' || schema === null) return [];
    const node = schema as Record<string, unknown>;
    const out: Array<[string, Record<string, unknown>]> = [];
    for (const [key, child] of Object.entries((node['properties'] as Record<string, unknown> | undefined) ?? {})) {
      out.push([`${path}.${key}`, child as Record<string, unknown>], ...properties(child, `${path}.${key}`));
    }
    const items = node['items'];
    if (typeof items === 'object' && items !== null) out.push([`${path}[]`, items as Record<string, unknown>], ...properties(items, `${path}[]`));
    return out;
  }

  it.each([
    ['notificationRuleSchema', notificationRuleSchema],
    ['smtpServerSchema', smtpServerSchema],
  ])('%s describes every field and allows no others', (_name, schema) => {
    const json = z.toJSONSchema(schema, { io: 'input' });
    expect(json.description).toBeTruthy();
    expect(json.additionalProperties).toBe(false);
    const props = properties(json);
    expect(props.length).toBeGreaterThan(3);
    for (const [path, prop] of props) {
      expect(prop['description'], path).toEqual(expect.any(String));
      if (prop['type'] === 'object') expect(prop['additionalProperties'], path).toBe(false);
    }
  });

  it('lists the events and the security modes', () => {
    const rule = new Map(properties(z.toJSONSchema(notificationRuleSchema, { io: 'input' })));
    expect(rule.get('.on[]')).toMatchObject({ enum: ['quarantine', 'failure', 'sla', 'success', 'returned'] });
    const server = new Map(properties(z.toJSONSchema(smtpServerSchema, { io: 'input' })));
    expect(server.get('.security')).toMatchObject({ enum: ['tls', 'starttls', 'none'], default: 'starttls' });
  });
});
