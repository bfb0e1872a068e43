/**
 * Throw-away PKI for loopback TLS tests: a CA, and a server certificate for 127.0.0.1/localhost signed by it.
 * Generated with the `openssl` CLI at test time (Node has no X.509 issuing API); tests skip when it is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  caPem: string;
  serverKeyPem: string;
  serverCertPem: string;
  /** A client certificate (CN = CLIENT_COMMON_NAME) for certificate authentication. */
  clientKeyPem: string;
  clientCertPem: string;
}

export const CLIENT_COMMON_NAME = 'kdr-triage-test-user';

function findOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_OPENSSL = findOpenssl();

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh CA and a server certificate it signed (EC P-256: fast to generate). */
export function generatePki(commonName = 'kdr-triage test CA'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'kdr-pki-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(
      join(dir, 'server.ext'),
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt',
      '-days', '2', '-extfile', 'server.ext']);
    openssl(dir, ['req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', `/CN=${CLIENT_COMMON_NAME}/O=kdr-readers`]);
    writeFileSync(join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
    openssl(dir, ['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt',
      '-days', '2', '-extfile', 'client.ext']);
    return {
      caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
      serverKeyPem: readFileSync(join(dir, 'server.key'), 'utf8'),
      serverCertPem: readFileSync(join(dir, 'server.crt'), 'utf8'),
      clientKeyPem: readFileSync(join(dir, 'client.key'), 'utf8'),
      clientCertPem: readFileSync(join(dir, 'client.crt'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let cached: TestPki | undefined;

/** One PKI per test process. */
export function testPki(): TestPki {
  cached ??= generatePki();
  return cached;
}
