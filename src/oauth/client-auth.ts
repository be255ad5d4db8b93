import type { ClientAuth } from 'openid-client';
import type { ClientCredentialsClient } from '../config/types.js';
import { loadClientKey } from './client-key.js';

type Oidc = typeof import('openid-client');

/**
 * openid-client's client authentication for a client's credential: the secret in HTTP Basic or
 * in the body, or an RFC 7523 assertion signed with its key: `aud` the token endpoint (and any
 * audience the provider adds, Auth0's domain), a fresh `jti`, one minute of life.
 *
 * @see RFC 7523 §3, RFC 6749 §2.3.1
 */
export async function clientAuth(
  oidc: Oidc,
  client: ClientCredentialsClient,
  tokenEndpoint: string,
  options: { checkKeyMode: boolean },
): Promise<ClientAuth> {
  const { credential } = client;
  if (credential.method !== 'private_key_jwt') {
    return credential.method === 'client_secret_basic'
      ? oidc.ClientSecretBasic(credential.secret)
      : oidc.ClientSecretPost(credential.secret);
  }
  const { key, kid } = await loadClientKey(credential.keyFile, credential.keyId, client.origin.clientSecret, {
    checkMode: options.checkKeyMode,
  });
  const audiences = [tokenEndpoint, ...client.assertionAudiences];
  return oidc.PrivateKeyJwt(
    { key, ...(kid ? { kid } : {}) },
    {
      [oidc.modifyAssertion]: (_header, payload) => {
        payload.aud = audiences.length === 1 ? tokenEndpoint : audiences;
      },
    },
  );
}
