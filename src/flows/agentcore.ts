import type { AgentCoreSet } from '../config/types.js';
import { AGENTCORE_PROVIDER, agentCoreFile } from '../store/records.js';
import {
  obtainClientCredentialsToken,
  type ClientCredentialsDeps,
  type ObtainedToken,
  type TokenOptions,
} from './client-credentials-flow.js';

/** Obtains an Amazon Bedrock AgentCore token into `bedrock-agentcore-{server}-egress.json` (SPEC §5). */
export function obtainAgentCoreToken(
  deps: ClientCredentialsDeps,
  set: AgentCoreSet,
  options: TokenOptions,
): Promise<ObtainedToken> {
  return obtainClientCredentialsToken(
    deps,
    {
      file: agentCoreFile(set.server),
      client: set.client,
      head: { provider: AGENTCORE_PROVIDER, server: set.server },
      tail: {},
    },
    options,
  );
}
