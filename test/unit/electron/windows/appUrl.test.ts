import { describe, expect, it } from 'vitest';
import { createAppUrlPolicy, isSafeExternalUrl } from '../../../../electron/windows/appUrl';

describe('createAppUrlPolicy', () => {
  it('accepts any path, query or hash of app://calldesk and nothing else', () => {
    const policy = createAppUrlPolicy(null);
    expect(policy.entryUrl).toBe('app://calldesk/index.html');
    for (const ok of ['app://calldesk/index.html', 'app://calldesk/index.html#/settings', 'app://calldesk/?x=1', 'APP://CALLDESK/index.html']) {
      expect(policy.isAppUrl(ok), ok).toBe(true);
    }
    for (const bad of [
      'app://evil/index.html',
      'app://calldesk.evil/index.html',
      'app://user:pw@calldesk/index.html',
      'file:///app/dist/renderer/index.html',
      'http://localhost:5173/',
      'https://calldesk/',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(policy.isAppUrl(bad), bad).toBe(false);
    }
  });

  it('with a dev server, accepts only that loopback origin', () => {
    const policy = createAppUrlPolicy('http://localhost:5173/some/path');
    expect(policy.entryUrl).toBe('http://localhost:5173/');
    expect(policy.devServerOrigin).toBe('http://localhost:5173');
    expect(policy.isAppUrl('http://localhost:5173/#/x')).toBe(true);
    expect(policy.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(policy.isAppUrl('app://calldesk/index.html')).toBe(false);
  });

  it('refuses a dev server that is not http on loopback, naming the variable', () => {
    for (const url of ['https://localhost:5173', 'http://example.com:5173', 'http://10.0.0.1', 'ftp://localhost', 'nonsense']) {
      expect(() => createAppUrlPolicy(url), url).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/CALLDESK_DEV_SERVER_URL/) }));
    }
  });
});

describe('isSafeExternalUrl', () => {
  it('allows http and https only', () => {
    expect(isSafeExternalUrl('https://example.com/a?b#c')).toBe(true);
    expect(isSafeExternalUrl('http://intranet/')).toBe(true);
    for (const bad of ['file:///C:/Windows/system32/calc.exe', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'mailto:a@b', 'tel:+123', 'data:,x', '//example.com', '']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });
});
