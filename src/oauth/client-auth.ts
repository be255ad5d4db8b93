import type { ClientAuth } from 'openid-client';
import type { ClientCredentialsClient } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { loadClientKey, type ClientKey } from './client-key.js';

type Oidc = typeof import('openid-client');

/**
 * openid-client's client authentication for a client's credential: the secret in HTTP Basic or
 * in the body, or an RFC 7523 assertion signed with its key: `aud` the token endpoint (and any
 * audience the provider adds, Auth0's domain), a fresh `jti`, one minute of life, and the
 * certificate's thumbprints (`x5t`, `x5t#S256`) when the key file carries one.
 *
 * The key is read and checked here, before any request (a bad key file is a configuration error);
 * the result then takes the token endpoint, which discovery may only learn afterwards.
 *
 * @see RFC 7523 §3, RFC 6749 §2.3.1
 */
export async function clientAuth(
  oidc: Oidc,
  client: ClientCredentialsClient,
  options: { checkKeyMode: boolean },
): Promise<(tokenEndpoint: string) => ClientAuth> {
  const { credential } = client;
  if (credential.method !== 'private_key_jwt') {
    const auth =
      credential.method === 'client_secret_basic' ? oidc.ClientSecretBasic(credential.secret) : oidc.ClientSecretPost(credential.secret);
    return () => auth;
  }
  const { key, kid, thumbprints } = await signingKey(client, options);
  return (tokenEndpoint) => {
    const audiences = [tokenEndpoint, ...client.assertionAudiences];
    return oidc.PrivateKeyJwt(
      { key, ...(kid ? { kid } : {}) },
      {
        [oidc.modifyAssertion]: (header, payload) => {
          if (thumbprints) Object.assign(header, thumbprints);
          payload.aud = audiences.length === 1 ? tokenEndpoint : audiences;
        },
      },
    );
  };
}

/**
 * The key a private_key_jwt client signs with, read and checked: the file, its mode, the key, and
 * the certificate where the provider finds keys by it (Entra ID). A ConfigError says what is wrong.
 */
export async function signingKey(client: ClientCredentialsClient, options: { checkKeyMode: boolean }): Promise<ClientKey> {
  const { credential } = client;
  if (credential.method !== 'private_key_jwt') throw new Error(`${client.clientId} authenticates with a secret, not a key`);
  const loaded = await loadClientKey(credential.keyFile, credential.keyId, client.origin.clientSecret, { checkMode: options.checkKeyMode });
  if (client.certificateRequired && !loaded.thumbprints) {
    throw new ConfigError(
      `${client.origin.clientSecret} (${credential.keyFile}) holds no certificate; Entra ID finds the signing key by its certificate`,
      {
        hint: 'append the certificate registered with the app (PEM, BEGIN CERTIFICATE) to the key file, or give a JWK with x5c',
      },
    );
  }
  return loaded;
}
