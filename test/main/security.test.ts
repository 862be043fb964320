import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, guardContents, mainWindowOptions, withCsp } from '../../main/security.js';

describe('Electron window security', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = mainWindowOptions('/app/preload.js').webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/preload.js' });
  });

  it('sends a strict CSP on every response', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(withCsp({ 'content-type': 'text/html' })).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('denies new windows and navigation away from the app', () => {
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
    let navigate: ((e: { preventDefault(): void }, url: string) => void) | undefined;
    guardContents(
      { setWindowOpenHandler: (h) => (openHandler = h), on: (_e, l) => (navigate = l) },
      'file:///app/index.html',
    );
    expect(openHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    let prevented = 0;
    navigate?.({ preventDefault: () => prevented++ }, 'https://evil.example');
    navigate?.({ preventDefault: () => prevented++ }, 'file:///app/index.html');
    expect(prevented).toBe(1);
  });
});
