import type { DeviceAuthorizationResponse } from 'openid-client';
import { BrowserTimeoutError, OAuthError } from '../errors.js';
import { configure, context, scopeParameters, type EgressClient } from './authorization-code.js';
import { tokenAnswer, type TokenAnswer } from './token-answer.js';
import { translateOAuthError } from './errors.js';

export interface DeviceSignIn {
  /** Where the person confirms, with the code filled in when the provider offers that. */
  verificationUri: string;
  verificationUriComplete: string | undefined;
  userCode: string;
  expiresIn: number;
  /** Polls until the person confirms, declines, or the code expires (RFC 8628 §3.4, §3.5). */
  complete(timeoutMs: number): Promise<TokenAnswer>;
}

/**
 * The device authorization grant (RFC 8628): asks for a device code, then polls at the server's
 * interval; openid-client waits on `authorization_pending` and adds 5 s on `slow_down`.
 * `expired_token` and `access_denied` are OAuth errors (exit 3); `timeoutMs` running out first is
 * exit 5, as for the browser.
 *
 * @see RFC 8628 §3.2, §3.5
 */
export async function startDeviceSignIn(client: EgressClient): Promise<DeviceSignIn> {
  const { oidc, config } = await configure(client);
  // PKCE here too: not in RFC 8628, but Keycloak requires it of a client set to S256, and others ignore it.
  const codeVerifier = client.provider.definition.pkce ? oidc.randomPKCECodeVerifier() : undefined;
  const pkce: Record<string, string> = codeVerifier
    ? { code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256' }
    : {};
  let response: DeviceAuthorizationResponse;
  try {
    response = await oidc.initiateDeviceAuthorization(config, { ...scopeParameters(client), ...pkce });
  } catch (error) {
    throw translateOAuthError(error, {
      ...context(client),
      what: `the ${client.provider.definition.name} device authorization endpoint`,
      url: client.provider.deviceAuthorizationEndpoint ?? '',
    });
  }
  return {
    verificationUri: response.verification_uri,
    verificationUriComplete: response.verification_uri_complete,
    userCode: response.user_code,
    expiresIn: response.expires_in,
    complete: async (timeoutMs) => {
      const expired = AbortSignal.timeout(response.expires_in * 1000);
      const gaveUp = AbortSignal.timeout(timeoutMs);
      try {
        const parameters = codeVerifier ? { code_verifier: codeVerifier } : undefined;
        const stop = AbortSignal.any([expired, gaveUp]);
        const poll = oidc.pollDeviceAuthorizationGrant(config, response, parameters, { signal: stop });
        poll.catch(() => undefined);
        // openid-client looks at the signal only every 5 s while it waits: stop on time ourselves.
        const stopped = new Promise<never>((_, reject) => stop.addEventListener('abort', () => reject(stop.reason), { once: true }));
        stopped.catch(() => undefined);
        return tokenAnswer(await Promise.race([poll, stopped]));
      } catch (error) {
        if (gaveUp.aborted && !expired.aborted) {
          throw new BrowserTimeoutError(
            `the code ${response.user_code} was not confirmed within ${Math.round(timeoutMs / 1000)} s`,
            'run again and confirm the code sooner, or allow more time with --timeout SECONDS',
          );
        }
        if (expired.aborted) {
          throw new OAuthError('expired_token', `the code ${response.user_code} expired before it was confirmed`, {
            hint: 'run again and confirm the new code in time',
          });
        }
        throw translateOAuthError(error, {
          ...context(client),
          hints: {
            ...context(client).hints,
            expired_token: 'run again and confirm the new code in time',
            access_denied: 'the sign-in was declined on the device page; run again and approve it',
          },
        });
      }
    },
  };
}
