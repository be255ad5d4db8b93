import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadClientKey } from './client-key.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mcpgw-key-'));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function keyFile(name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode });
  return file;
}

const load = (file: string, keyId?: string) => loadClientKey(file, keyId, 'INGRESS_PRIVATE_KEY_FILE', { checkMode: true });

async function refusal(file: string, keyId?: string): Promise<ConfigError> {
  const error = await load(file, keyId).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadClientKey: the key formats people have', () => {
  it('reads PKCS#8 and PKCS#1 RSA PEM (RS256) and SEC1 EC PEM (ES256)', async () => {
    const pkcs8 = await load(keyFile('pkcs8.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), 'k1');
    expect(pkcs8.key.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    expect(pkcs8.kid).toBe('k1');
    expect(pkcs8.thumbprints).toBeUndefined();
    const pkcs1 = await load(keyFile('pkcs1.pem', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string));
    expect(pkcs1.key.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    const sec1 = await load(keyFile('sec1.pem', ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string));
    expect(sec1.key.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
  });

  it('reads a JWK (PS256 when it says so, its own kid) and picks a key out of a JWKS', async () => {
    const jwk = { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'from-file', alg: 'PS256', use: 'sig' };
    const pss = await load(keyFile('pss.json', JSON.stringify(jwk)));
    expect(pss.key.algorithm.name).toBe('RSA-PSS');
    expect(pss.kid).toBe('from-file');
    const other = { ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec-1' };
    const jwks = keyFile('jwks.json', JSON.stringify({ keys: [jwk, other] }));
    expect((await load(jwks, 'ec-1')).key.algorithm.name).toBe('ECDSA');
    expect((await refusal(jwks)).message).toContain('is a JWKS with 2 private keys');
    expect((await refusal(jwks, 'nope')).message).toContain('is a JWKS with no private key whose kid is nope');
  });
});

describe('loadClientKey: what it refuses, saying why (exit 2)', () => {
  it('a key others can read, also behind a symbolic link (whose target is what counts)', async () => {
    const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const loose = keyFile('loose.pem', pem, 0o644);
    expect((await refusal(loose)).message).toContain('can be read by others (mode 644)');
    const link = path.join(dir, 'link-to-loose.pem');
    symlinkSync(loose, link);
    expect((await refusal(link)).message).toContain('can be read by others (mode 644)');
    // A secret mount (Kubernetes) is a link to a private file: followed, as ssh does.
    const tight = keyFile('tight.pem', pem);
    const linked = path.join(dir, 'link-to-tight.pem');
    symlinkSync(tight, linked);
    expect((await load(linked)).key.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
  });

  it('a folder, a missing file, an encrypted key, a public key, a certificate alone, an unusable JWK, an Ed25519 key', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    expect((await refusal(folder)).message).toContain('is not a file');
    expect((await refusal(path.join(dir, 'missing.pem'))).message).toContain('cannot be read: ENOENT');
    const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass-1234' }) as string;
    const locked = await refusal(keyFile('encrypted.pem', encrypted));
    expect(locked.message).toContain('is encrypted');
    expect(locked.hint).toContain('openssl pkey -in');
    expect((await refusal(keyFile('public.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string))).message).toContain(
      'is neither a PEM private key nor a JWK',
    );
    expect((await refusal(keyFile('public.json', JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))))).message).toContain(
      'is a public key',
    );
    const broken = { ...rsa.privateKey.export({ format: 'jwk' }), n: 'AQAB' };
    expect((await refusal(keyFile('broken.json', JSON.stringify(broken)))).message).toContain('holds a key that cannot be used');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect((await refusal(keyFile('ed.pem', ed))).message).toContain(
      'private_key_jwt here signs with RSA (RS256, PS256) or EC P-256 (ES256)',
    );
  });
});
