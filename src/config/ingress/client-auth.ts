import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { ClientCredential } from '../types.js';

const METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
type Method = (typeof METHODS)[number];

/**
 * How the ingress client authenticates: INGRESS_CLIENT_AUTH over the provider's default. With
 * `private_key_jwt`, INGRESS_PRIVATE_KEY_FILE (and INGRESS_KEY_ID) replace the secret, which is then
 * not required; otherwise the secret variable is. Problems name the variable.
 */
export function ingressCredential(
  env: Env,
  problems: Problems,
  options: { defaultMethod: 'client_secret_basic' | 'client_secret_post'; secretVariable: string; what: string },
): ClientCredential | undefined {
  const chosen = getVar(env, 'INGRESS_CLIENT_AUTH')?.toLowerCase();
  if (chosen !== undefined && !(METHODS as readonly string[]).includes(chosen)) {
    problems.add(`INGRESS_CLIENT_AUTH is "${chosen}": use ${METHODS.join(', ')}`);
    return undefined;
  }
  const method = (chosen ?? options.defaultMethod) as Method;
  const keyFile = getVar(env, 'INGRESS_PRIVATE_KEY_FILE');
  if (method === 'private_key_jwt') {
    if (keyFile === undefined) {
      problems.add(
        'INGRESS_PRIVATE_KEY_FILE is not set: INGRESS_CLIENT_AUTH=private_key_jwt signs with that key (a PEM or JWK file, mode 600)',
      );
      return undefined;
    }
    return { method, keyFile, keyId: getVar(env, 'INGRESS_KEY_ID') };
  }
  const secret = getVar(env, options.secretVariable);
  if (secret === undefined) {
    problems.add(
      `${options.secretVariable} is not set: put ${options.what} there (or sign with a key: INGRESS_CLIENT_AUTH=private_key_jwt and INGRESS_PRIVATE_KEY_FILE)`,
    );
    return undefined;
  }
  if (keyFile !== undefined) problems.warn(`INGRESS_PRIVATE_KEY_FILE is set but INGRESS_CLIENT_AUTH is ${method}: the key is not used`);
  return { method, secret };
}
