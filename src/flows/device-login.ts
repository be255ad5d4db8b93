import type { EgressSet } from '../config/types.js';
import type { EgressClient } from '../oauth/authorization-code.js';
import type { TokenAnswer } from '../oauth/token-answer.js';
import { startDeviceSignIn } from '../oauth/device.js';
import type { LoginUi } from './browser-login.js';

/**
 * A device sign-in (RFC 8628): print the verification URL (with the code in it where the provider
 * offers that) and the code, then wait for the person to confirm on any device.
 */
export async function deviceLogin(client: EgressClient, set: EgressSet, ui: LoginUi, timeoutMs: number): Promise<TokenAnswer> {
  const name = client.provider.definition.display_name ?? client.provider.definition.name;
  const signIn = await startDeviceSignIn(client);
  const minutes = Math.max(1, Math.round(Math.min(signIn.expiresIn, timeoutMs / 1000) / 60));
  ui.notice(
    `Sign in to ${name} for the server ${set.server} on any device: open\n\n  ${signIn.verificationUriComplete ?? signIn.verificationUri}\n\n` +
      `${signIn.verificationUriComplete ? 'and check that it shows' : 'and enter'} the code ${signIn.userCode} (within ${minutes} min).`,
  );
  return signIn.complete(timeoutMs);
}
