import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ClientKeyPair {
  /** The private key file, mode 600, for INGRESS_PRIVATE_KEY_FILE or an agent's `private_key_file`. */
  file: string;
  /** The public key to register with the provider (with `x5t` and `x5t#S256` when there is a certificate). */
  publicJwk: Record<string, unknown>;
  kid: string;
}

/**
 * A client's key pair for private_key_jwt: the private key written into `dir` as PEM (PKCS#8) or as
 * a JWK, the public one returned as a JWK with its `kid`. With `certificate`, a self-signed
 * certificate for the key (made by openssl, as a user would) goes into the same file: after the key
 * in PEM, in `x5c` in a JWK.
 */
export function clientKeyPair(
  dir: string,
  options: { kind?: 'rsa' | 'ec'; format?: 'pem' | 'jwk'; kid?: string; mode?: number; certificate?: boolean } = {},
): ClientKeyPair {
  const kind = options.kind ?? 'rsa';
  const kid = options.kid ?? `${kind}-key-1`;
  const { privateKey, publicKey } =
    kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const alg = kind === 'rsa' ? 'RS256' : 'ES256';
  const format = options.format ?? 'pem';
  const file = path.join(dir, `client-key-${kid}.${format === 'pem' ? 'pem' : 'json'}`);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const certificate = options.certificate ? selfSigned(dir, kid, pem) : undefined;
  const thumbprints = certificate
    ? {
        x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
        'x5t#S256': createHash('sha256').update(certificate.raw).digest('base64url'),
      }
    : {};
  const text =
    format === 'pem'
      ? pem + (certificate?.toString() ?? '')
      : JSON.stringify({
          ...privateKey.export({ format: 'jwk' }),
          kid,
          ...(certificate ? { x5c: [certificate.raw.toString('base64')] } : {}),
        });
  writeFileSync(file, text, { mode: options.mode ?? 0o600 });
  return { file, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig', ...thumbprints }, kid };
}

function selfSigned(dir: string, kid: string, keyPem: string): X509Certificate {
  const keyFile = path.join(dir, `.openssl-${kid}.key`);
  const certFile = path.join(dir, `.openssl-${kid}.crt`);
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', `/CN=${kid}`, '-days', '2', '-out', certFile], {
    stdio: 'pipe',
  });
  return new X509Certificate(readFileSync(certFile));
}

/** What must never be printed of a private key: its private JWK members, and each line of its PEM body. */
export function keyMaterial(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const jwk = (text.trim().startsWith('{') ? JSON.parse(text) : createPrivateKey(text).export({ format: 'jwk' })) as Record<
    string,
    unknown
  >;
  const members = ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((name) => jwk[name]).filter((value): value is string => typeof value === 'string');
  const pemLines = text.includes('-----BEGIN') ? text.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----')) : [];
  return [...members, ...pemLines];
}
