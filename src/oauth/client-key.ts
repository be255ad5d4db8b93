import { createPrivateKey, type webcrypto } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

/** A private key for private_key_jwt (RFC 7523), as WebCrypto wants it, with its `kid`. */
export interface ClientKey {
  key: webcrypto.CryptoKey;
  kid: string | undefined;
}

/** The JWS algorithm a key signs with: RS256 for RSA (PS256 when a JWK says so), ES256 for P-256. */
function algorithmOf(jwk: { kty?: unknown; crv?: unknown; alg?: unknown }, where: string): 'RS256' | 'PS256' | 'ES256' {
  if (jwk.kty === 'RSA') return jwk.alg === 'PS256' ? 'PS256' : 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new ConfigError(
    `${where} holds a ${String(jwk.kty)}${typeof jwk.crv === 'string' ? ` ${jwk.crv}` : ''} key; private_key_jwt here signs with RSA (RS256, PS256) or EC P-256 (ES256)`,
    {
      hint: 'e.g. openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem',
    },
  );
}

/**
 * Reads a client's private key: a PEM file (PKCS#8, PKCS#1 or SEC1) or a JWK (JSON). The file
 * must be readable by its owner only, like a token file: a key others can read is refused (where
 * the system has such modes: `checkMode`).
 * `variable` names where the path came from, for messages.
 */
export async function loadClientKey(
  file: string,
  keyId: string | undefined,
  variable: string,
  options: { checkMode: boolean },
): Promise<ClientKey> {
  const where = `${variable} (${file})`;
  let text: string;
  try {
    const info = await lstat(file);
    if (options.checkMode && (info.mode & 0o077) !== 0) {
      throw new ConfigError(`${where} can be read by others (mode ${(info.mode & 0o777).toString(8)}); a private key must not be`, {
        hint: `chmod 600 ${file}, and consider the key exposed if others could read it`,
      });
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${where} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: `check ${variable}`,
    });
  }
  const { importJWK } = await import('jose');
  let jwk: Record<string, unknown>;
  try {
    jwk = text.trim().startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : createPrivateKey(text).export({ format: 'jwk' });
  } catch {
    throw new ConfigError(`${where} is neither a PEM private key nor a JWK`, {
      hint: 'give the private key file itself (PEM: BEGIN PRIVATE KEY), not a certificate or a public key',
    });
  }
  if (typeof jwk.d !== 'string') throw new ConfigError(`${where} is a public key; private_key_jwt needs the private one`);
  const alg = algorithmOf(jwk, where);
  const key = (await importJWK({ ...jwk, alg }, alg)) as webcrypto.CryptoKey;
  return { key, kid: keyId ?? (typeof jwk.kid === 'string' ? jwk.kid : undefined) };
}
