import { describe, expect, it } from 'vitest';
import { feedFileName, parseUpdateInfo } from '../../../../electron/core/update/updateFeed';
import { compareVersions, installTiming } from '../../../../electron/core/update/updatePolicy';

describe('update policy helpers', () => {
  it('orders versions as semver does: pre-releases before their release, numeric parts as numbers', () => {
    const sorted = ['1.10.0', '1.2.0', '1.4.0-beta.10', '1.4.0-beta.2', '1.4.0', '1.4.0-alpha', '0.9.9'].sort(compareVersions);
    expect(sorted).toEqual(['0.9.9', '1.2.0', '1.4.0-alpha', '1.4.0-beta.2', '1.4.0-beta.10', '1.4.0', '1.10.0']);
    expect(compareVersions('1.0', '1.0.0')).toBeNaN();
  });

  it('reads the latest.yml electron-builder writes (files list, quoted date) and names the feed per platform', () => {
    const info = parseUpdateInfo(
      "version: 1.3.0\nfiles:\n  - url: CallDesk-1.3.0-win-x64.exe\n    sha512: abc==\n    size: 1234\n  - url: CallDesk-1.3.0-win-arm64.exe\n    sha512: def==\n    size: 99\npath: CallDesk-1.3.0-win-x64.exe\nsha512: abc==\nreleaseDate: '2026-12-01T08:00:00.000Z'\n",
    );
    expect(info).toEqual({
      version: '1.3.0',
      files: [
        { url: 'CallDesk-1.3.0-win-x64.exe', sha512: 'abc==', size: 1234 },
        { url: 'CallDesk-1.3.0-win-arm64.exe', sha512: 'def==', size: 99 },
      ],
      releaseDate: '2026-12-01T08:00:00.000Z',
    });
    expect(() => parseUpdateInfo('files:\n')).toThrowError(expect.objectContaining({ code: 'UPDATE_FEED_INVALID' }));
    expect([feedFileName('stable', 'win32'), feedFileName('stable', 'darwin'), feedFileName('beta', 'linux')]).toEqual(['latest.yml', 'latest-mac.yml', 'beta-linux.yml']);
  });

  it('install timing: wait while busy, ask while postpones are left, then install', () => {
    expect(installTiming({ busy: true, postponed: 9, maxPostpones: 3 })).toBe('wait');
    expect(installTiming({ busy: false, postponed: 2, maxPostpones: 3 })).toBe('ask');
    expect(installTiming({ busy: false, postponed: 3, maxPostpones: 3 })).toBe('install');
    expect(installTiming({ busy: false, postponed: 0, maxPostpones: 0 })).toBe('install');
  });
});
