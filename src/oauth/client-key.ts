import { createHash, createPrivateKey, X509Certificate, type JsonWebKey, type KeyObject, type webcrypto } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

/** A private key for private_key_jwt (RFC 7523), as WebCrypto wants it, with its `kid`. */
export interface ClientKey {
  key: webcrypto.CryptoKey;
  kid: string | undefined;
  /**
   * The thumbprints of the key's certificate (RFC 7515 `x5t`, SHA-1, and `x5t#S256`), when the file
   * carries one: Entra ID finds the key by them.
   */
  thumbprints: { x5t: string; 'x5t#S256': string } | undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The certificate a key file carries: a PEM block after (or before) the key, or a JWK's `x5c`. */
function certificateOf(text: string, jwk: Record<string, unknown>, where: string): X509Certificate | undefined {
  const pem = PEM_CERTIFICATE.exec(text)?.[0];
  const x5c = Array.isArray(jwk.x5c) && typeof jwk.x5c[0] === 'string' ? jwk.x5c[0] : undefined;
  if (pem === undefined && x5c === undefined) return undefined;
  try {
    return new X509Certificate(pem ?? Buffer.from(x5c as string, 'base64'));
  } catch {
    throw new ConfigError(`${where} carries a certificate that cannot be read`, {
      hint: "keep the PEM certificate block whole, or fix the JWK's x5c",
    });
  }
}

function thumbprintsOf(certificate: X509Certificate, privateKey: KeyObject, where: string): ClientKey['thumbprints'] {
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(`${where} carries a certificate (${certificate.subject}) that is not the private key's`, {
      hint: 'put the certificate issued for this key in the file, the one registered at the provider',
    });
  }
  return {
    x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
    'x5t#S256': createHash('sha256').update(certificate.raw).digest('base64url'),
  };
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
 * Reads a client's private key: a PEM file (PKCS#8, PKCS#1 or SEC1; with its certificate, if any,
 * in the same file) or a JWK (JSON; its certificate in `x5c`). The file
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
  const { x5c: _chain, ...bare } = jwk;
  const key = (await importJWK({ ...bare, alg }, alg)) as webcrypto.CryptoKey;
  const certificate = certificateOf(text, jwk, where);
  const thumbprints = certificate
    ? thumbprintsOf(certificate, createPrivateKey({ key: bare as JsonWebKey, format: 'jwk' }), where)
    : undefined;
  return { key, kid: keyId ?? (typeof jwk.kid === 'string' ? jwk.kid : undefined), thumbprints };
}
