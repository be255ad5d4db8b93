import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ClientKeyPair {
  /** The private key file, mode 600, for INGRESS_PRIVATE_KEY_FILE or an agent's `private_key_file`. */
  file: string;
  /** The public key to register with the provider. */
  publicJwk: Record<string, unknown>;
  kid: string;
}

/**
 * A client's key pair for private_key_jwt: the private key written into `dir` as PEM (PKCS#8) or as
 * a JWK, the public one returned as a JWK with its `kid`.
 */
export function clientKeyPair(
  dir: string,
  options: { kind?: 'rsa' | 'ec'; format?: 'pem' | 'jwk'; kid?: string; mode?: number } = {},
): ClientKeyPair {
  const kind = options.kind ?? 'rsa';
  const kid = options.kid ?? `${kind}-key-1`;
  const { privateKey, publicKey } =
    kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const alg = kind === 'rsa' ? 'RS256' : 'ES256';
  const format = options.format ?? 'pem';
  const file = path.join(dir, `client-key-${kid}.${format === 'pem' ? 'pem' : 'json'}`);
  const text =
    format === 'pem'
      ? (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
      : JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid });
  writeFileSync(file, text, { mode: options.mode ?? 0o600 });
  return { file, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }, kid };
}
