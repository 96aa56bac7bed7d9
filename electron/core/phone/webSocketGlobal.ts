import tls from 'node:tls';
import WebSocket from 'ws';

/** TLS options of the SIP WebSocket: trusted CAs beyond the built-in root store (PEM text). */
export interface SipTlsOptions {
  extraCaPem?: string;
}

/** Certificate errors seen per server URL, until the phone reads them (takeTlsError). */
const tlsErrors = new Map<string, Error>();

/** Node/OpenSSL error codes that mean "the server's certificate is not acceptable". */
const CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether an error of a TLS connection is a certificate problem (not a refused or lost connection). */
export function isCertificateError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (CERT_CODES.has(code) || code.startsWith('ERR_TLS_CERT'));
}

/** The certificate error of the last connection attempt to url, once (then forgotten). */
export function takeTlsError(url: string): Error | undefined {
  const err = tlsErrors.get(url);
  tlsErrors.delete(url);
  return err;
}

/**
 * sip.js's transport uses the global `WebSocket`. Installs the `ws` implementation with
 * certificate validation always on: the built-in root store plus the extra CA of the policy (a
 * private PBX CA), never `rejectUnauthorized: false`. Certificate errors are kept for
 * {@link takeTlsError} so the phone can say which host and what problem.
 */
export function ensureGlobalWebSocket(options: SipTlsOptions = {}): void {
  const ca = options.extraCaPem ? [...tls.rootCertificates, options.extraCaPem] : undefined;
  class SipWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, ca ? { ca } : {});
      const key = String(url);
      tlsErrors.delete(key);
      this.on('error', (err) => {
        if (isCertificateError(err)) tlsErrors.set(key, err);
      });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = SipWebSocket;
}
