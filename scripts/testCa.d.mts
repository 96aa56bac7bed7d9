/** Paths of a PEM certificate and its private key. */
export interface CertFiles {
  cert: string;
  key: string;
}
/** Creates a throw-away CA in dir. */
export function createTestCa(dir: string, name?: string, subject?: string): CertFiles;
/** Issues a server certificate signed by ca (default names: 127.0.0.1, localhost). */
export function issueServerCertificate(ca: CertFiles, dir: string, name?: string, names?: { ips?: string[]; dns?: string[] }): CertFiles;
