import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  X509Certificate,
  type JsonWebKey,
  type KeyObject,
  type webcrypto,
} from 'node:crypto';
import { open } from 'node:fs/promises';
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

/** Reads the key file once, through one descriptor: a regular file (a symbolic link is followed, as ssh does), mode checked. */
async function readKeyFile(file: string, where: string, variable: string, checkMode: boolean): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new ConfigError(`${where} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: `check ${variable}`,
    });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ConfigError(`${where} is not a file`, { hint: `point ${variable} at the private key file` });
    if (checkMode && (info.mode & 0o077) !== 0) {
      throw new ConfigError(`${where} can be read by others (mode ${(info.mode & 0o777).toString(8)}); a private key must not be`, {
        hint: `chmod 600 ${file}, and consider the key exposed if others could read it`,
      });
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** The JWK a key file holds: a PEM key, a JWK, or a JWKS with one private key (or the one `keyId` names). */
function privateJwk(text: string, keyId: string | undefined, where: string, file: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(trimmed)) {
      throw new ConfigError(`${where} is encrypted; mcpgw-creds reads unencrypted keys (protected by their mode)`, {
        hint: `decrypt it once: openssl pkey -in ${file} -out key.pem, then chmod 600 key.pem`,
      });
    }
    try {
      return createPrivateKey(trimmed).export({ format: 'jwk' });
    } catch {
      throw new ConfigError(`${where} is neither a PEM private key nor a JWK`, {
        hint: 'give the private key file itself (PEM: BEGIN PRIVATE KEY), not a certificate or a public key',
      });
    }
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    throw new ConfigError(`${where} is neither a PEM private key nor a JWK (it is not valid JSON)`);
  }
  if (!Array.isArray(parsed.keys)) return parsed;
  const candidates = (parsed.keys as Array<Record<string, unknown>>).filter(
    (key) => typeof key.d === 'string' && (keyId === undefined || key.kid === keyId),
  );
  if (candidates.length === 1) return candidates[0] as Record<string, unknown>;
  throw new ConfigError(
    candidates.length === 0
      ? `${where} is a JWKS with no private key${keyId === undefined ? '' : ` whose kid is ${keyId}`}`
      : `${where} is a JWKS with ${candidates.length} private keys`,
    { hint: 'name the key with INGRESS_KEY_ID (an agent file: key_id), or keep only the one key in the file' },
  );
}

/**
 * Reads a client's private key: a PEM file (PKCS#8, PKCS#1 or SEC1; with its certificate, if any,
 * in the same file), a JWK (JSON; its certificate in `x5c`) or a JWKS holding it. The file must be
 * readable by its owner only, like a token file: a key others can read is refused (where the
 * system has such modes: `checkMode`). `variable` names where the path came from, for messages.
 */
export async function loadClientKey(
  file: string,
  keyId: string | undefined,
  variable: string,
  options: { checkMode: boolean },
): Promise<ClientKey> {
  const where = `${variable} (${file})`;
  const text = await readKeyFile(file, where, variable, options.checkMode);
  const jwk = privateJwk(text, keyId, where, file);
  if (typeof jwk.d !== 'string') throw new ConfigError(`${where} is a public key; private_key_jwt needs the private one`);
  const alg = algorithmOf(jwk, where);
  const { x5c: _chain, key_ops: _ops, use: _use, ...bare } = jwk;
  let key: webcrypto.CryptoKey;
  let keyObject: KeyObject;
  try {
    const { importJWK } = await import('jose');
    key = (await importJWK({ ...bare, alg }, alg)) as webcrypto.CryptoKey;
    keyObject = createPrivateKey({ key: bare as JsonWebKey, format: 'jwk' });
    // A JWK whose parts do not belong together imports, then signs what no one can verify.
    const probe = Buffer.from('mcpgw-creds key check');
    if (!verify('sha256', probe, createPublicKey(keyObject), sign('sha256', probe, keyObject)))
      throw new Error('its parts do not form one key');
  } catch (error) {
    throw new ConfigError(`${where} holds a key that cannot be used: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'make a new one, e.g. openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem',
    });
  }
  const certificate = certificateOf(text, jwk, where);
  const thumbprints = certificate ? thumbprintsOf(certificate, keyObject, where) : undefined;
  return { key, kid: keyId ?? (typeof jwk.kid === 'string' ? jwk.kid : undefined), thumbprints };
}
