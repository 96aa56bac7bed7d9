// A throw-away certificate authority for TLS tests and the dev PBX (openssl CLI): a CA, and server
// certificates it signs for 127.0.0.1/localhost. Nothing here is for production use.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates a CA (`<name>.pem`, `<name>.key`) in dir; returns the paths. */
export function createTestCa(dir, name = 'test-ca', subject = '/CN=CallDesk Test CA') {
  mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', subject], dir);
  return { cert, key };
}

/**
 * Issues a server certificate signed by ca for the given names (default 127.0.0.1 and localhost);
 * returns the paths of `<name>.pem` and `<name>.key` in dir.
 */
export function issueServerCertificate(ca, dir, name = 'server', { ips = ['127.0.0.1'], dns = ['localhost'] } = {}) {
  mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  const san = [...ips.map((i) => `IP:${i}`), ...dns.map((d) => `DNS:${d}`)].join(',');
  writeFileSync(ext, `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${ips[0] ?? dns[0]}`], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '30', '-extfile', ext], dir);
  return { cert, key };
}
