import { describe, expect, it } from 'vitest';
import { formatConnectionUrl, parseConnectionUrl, type ParsedUrl } from '../../../src/config/connectionUrl.js';

/** Settings whose user names and folders need encoding to survive a trip through a URL. */
const AWKWARD: ReadonlyArray<ParsedUrl> = [
  { kind: 'sftp', host: 'files.example.com', port: 22, user: 'ann@corp.example', root: '/in box/#1 100%/a?b' },
  { kind: 'sftp', host: '::1', port: 2222, user: 'user:with;colon', root: 'relative/to login' },
  { kind: 'sftp', host: '10.0.0.7', port: 22, user: 'u', root: '' },
  { kind: 'sftp', host: 'h', port: 22, user: 'u', root: '/~/a folder named tilde at the top' },
  { kind: 'sftp', host: 'h', port: 22, user: 'u', root: '~' },
  { kind: 'ftp', security: 'none', host: 'ftp.example.com', port: 21, user: 'DOMAIN\\bob smith', root: '/Ausgang/Müller & Söhne' },
  { kind: 'ftp', security: 'explicit', host: 'h', port: 2121, user: 'u%41', root: '/%2F/x' },
  { kind: 'ftp', security: 'implicit', host: 'h', port: 990, user: 'u', root: '/a//b' },
  { kind: 'local', root: '/srv/drop box/#in 50%?' },
];

describe('connection URLs as Ferry shows them', () => {
  it('reads back as exactly the settings they show', () => {
    for (const settings of AWKWARD) expect(parseConnectionUrl(formatConnectionUrl(settings))).toEqual(settings);
  });

  it('are URLs a person can paste: encoded, with brackets around IPv6 hosts', () => {
    expect(formatConnectionUrl(AWKWARD[0] as ParsedUrl)).toBe('sftp://ann%40corp.example@files.example.com:22/in%20box/%231%20100%25/a%3Fb');
    expect(formatConnectionUrl(AWKWARD[1] as ParsedUrl)).toBe('sftp://user%3Awith%3Bcolon@[::1]:2222/~/relative/to%20login');
    expect(formatConnectionUrl(AWKWARD[2] as ParsedUrl)).toBe('sftp://u@10.0.0.7:22/');
    expect(formatConnectionUrl(AWKWARD[8] as ParsedUrl)).toBe('file:///srv/drop%20box/%23in%2050%25%3F');
    for (const settings of AWKWARD) expect(() => new URL(formatConnectionUrl(settings))).not.toThrow();
  });
});
