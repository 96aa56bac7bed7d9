import { describe, expect, it } from 'vitest';
import { diagnosticsBundleArg } from '../../../../electron/core/diagnostics/cliFlag';
import { scrubSecrets } from '../../../../electron/core/diagnostics/diagnosticsBundle';

describe('diagnostics bundle: secret removal and the command-line flag', () => {
  it('removes known secret values (longest first), digest parameters and bearer tokens, and counts them', () => {
    const text = [
      'password is hunter2-long, also hunter2',
      'Authorization: Digest username="1001", realm="calldesk.test", nonce="abc123", uri="sip:calldesk.test", response="0123456789abcdef0123456789abcdef", cnonce="xyz"',
      'authorization: Bearer eyJhbGciOi.payload.sig',
    ].join('\n');
    const { text: out, removed } = scrubSecrets(text, ['hunter2', 'hunter2-long', 'abc']);
    expect(out).toBe(
      [
        'password is [removed], also [removed]',
        'Authorization: Digest username="1001", realm="calldesk.test", nonce="[removed]", uri="sip:calldesk.test", response="[removed]", cnonce="[removed]"',
        'authorization: Bearer [removed]',
      ].join('\n'),
    );
    // 2 secret values + 3 digest parameters + 1 bearer token ("abc" is shorter than 4: never matched blindly).
    expect(removed).toBe(6);
  });

  it('reads --diagnostics-bundle with a file, with =, and without a file', () => {
    expect(diagnosticsBundleArg(['--no-open'])).toBeUndefined();
    expect(diagnosticsBundleArg(['--diagnostics-bundle', 'out.zip'])).toBe('out.zip');
    expect(diagnosticsBundleArg(['--diagnostics-bundle=out.zip'])).toBe('out.zip');
    expect(diagnosticsBundleArg(['--diagnostics-bundle', '--data-dir', 'x'])).toBeNull();
    expect(diagnosticsBundleArg(['--diagnostics-bundle'])).toBeNull();
  });
});
