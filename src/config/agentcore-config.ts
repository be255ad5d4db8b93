import { scopeFrom } from './ingress/index.js';
import type { Env } from './env-files.js';
import { checkName } from './names.js';
import { numberedSets } from './numbered-sets.js';
import type { Problems } from './problems.js';
import type { AgentCoreSet } from './types.js';
import { checkServiceUrl, type UrlRules } from './urls.js';

const VARIABLES = [
  'AGENTCORE_CLIENT_ID',
  'AGENTCORE_CLIENT_SECRET',
  'AGENTCORE_TOKEN_URL',
  'AGENTCORE_SCOPE',
  'AGENTCORE_SERVER_NAME',
] as const;
const REQUIRED = ['AGENTCORE_CLIENT_ID', 'AGENTCORE_CLIENT_SECRET', 'AGENTCORE_TOKEN_URL', 'AGENTCORE_SERVER_NAME'];

/**
 * Amazon Bedrock AgentCore sets. The token endpoint is given whole; AgentCore's identity
 * providers are usually Cognito domains, so the client authenticates with HTTP Basic as there.
 */
export function resolveAgentCore(env: Env, rules: UrlRules, problems: Problems): AgentCoreSet[] {
  const sets: AgentCoreSet[] = [];
  for (const { index, get } of numberedSets(env, VARIABLES, REQUIRED, problems)) {
    const url = checkServiceUrl(get('AGENTCORE_TOKEN_URL') as string, `AGENTCORE_TOKEN_URL_${index}`, rules, problems);
    const server = checkName(get('AGENTCORE_SERVER_NAME') as string, `AGENTCORE_SERVER_NAME_${index}`, problems);
    if (!url || !server) continue;
    sets.push({
      index,
      server,
      client: {
        issuer: url.origin,
        tokenEndpoint: url.href,
        clientId: get('AGENTCORE_CLIENT_ID') as string,
        credential: { method: 'client_secret_basic', secret: get('AGENTCORE_CLIENT_SECRET') as string },
        scope: scopeFrom(get('AGENTCORE_SCOPE')),
        params: {},
        assertionAudiences: [],
        origin: {
          clientId: `AGENTCORE_CLIENT_ID_${index}`,
          clientSecret: `AGENTCORE_CLIENT_SECRET_${index}`,
          scope: `AGENTCORE_SCOPE_${index}`,
          url: `AGENTCORE_TOKEN_URL_${index}`,
        },
      },
    });
  }
  const seen = new Set<string>();
  for (const set of sets) {
    if (seen.has(set.server)) {
      problems.add(`AGENTCORE_SERVER_NAME_${set.index} repeats the server "${set.server}": each set needs its own server`);
    }
    seen.add(set.server);
  }
  return sets;
}
