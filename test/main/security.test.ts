import { describe, expect, it } from 'vitest';
import { APP_PAGE, CONTENT_SECURITY_POLICY, guardContents, guardSession, isAppFrame } from '../../main/security.js';
import { FakeEvent, FakeSession, FakeWebContents } from './electronFakes.js';

describe('Electron window security', () => {
  it('sends a strict CSP with no inline or eval script', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it("trusts only frames showing Ferry's own page", () => {
    expect(isAppFrame({ url: APP_PAGE })).toBe(true);
    expect(isAppFrame({ url: 'app://ferry/other.html#x' })).toBe(true);
    for (const url of ['app://evil/index.html', 'file:///app/index.html', 'https://ferry/index.html', 'not a url', '']) expect(isAppFrame({ url })).toBe(false);
  });

  it('denies new windows, navigation and redirects away from the page, and every webview', () => {
    const contents = new FakeWebContents();
    guardContents(contents);
    expect(contents.openHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: APP_PAGE })).toEqual({ action: 'deny' });
    const prevented = (event: string, url?: string): boolean => {
      const e = new FakeEvent();
      contents.emit(event, e, url);
      return e.prevented;
    };
    expect(prevented('will-navigate', 'https://evil.example')).toBe(true);
    expect(prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-navigate', APP_PAGE)).toBe(false);
    expect(prevented('will-redirect', 'https://evil.example')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
  });

  it('refuses every permission request and check', () => {
    const session = new FakeSession();
    guardSession(session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) session.request?.({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(session.check?.({}, 'clipboard-read')).toBe(false);
  });
});
