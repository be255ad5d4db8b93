import type { Env } from './env-files.js';
import { checkName, splitList } from './names.js';
import { numberedSets } from './numbered-sets.js';
import type { Problems } from './problems.js';
import type { EgressSet } from './types.js';
import { isLoopbackHost } from './urls.js';

const DEFAULT_REDIRECT_URI = 'http://localhost:9999/callback';

const VARIABLES = [
  'EGRESS_PROVIDER_NAME',
  'EGRESS_OAUTH_CLIENT_ID',
  'EGRESS_OAUTH_CLIENT_SECRET',
  'EGRESS_OAUTH_REDIRECT_URI',
  'EGRESS_OAUTH_SCOPE',
  'EGRESS_MCP_SERVER_NAME',
  'EGRESS_ATLASSIAN_SITE',
] as const;
const REQUIRED = ['EGRESS_PROVIDER_NAME', 'EGRESS_OAUTH_CLIENT_ID'];

/** A loopback redirect URI: http://, a loopback host, an explicit port. */
function checkRedirectUri(raw: string, variable: string, problems: Problems): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.add(`${variable} is not a URL ("${raw}"): use e.g. ${DEFAULT_REDIRECT_URI}`);
    return undefined;
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || url.hostname.endsWith('.localhost')) {
    problems.add(
      `${variable} ("${raw}") is not a loopback redirect URI: mcpgw-creds receives the callback itself, ` +
        `so it must be http://localhost:PORT/PATH or http://127.0.0.1:PORT/PATH (default ${DEFAULT_REDIRECT_URI})`,
    );
    return undefined;
  }
  if (url.port === '') {
    problems.add(`${variable} ("${raw}") has no port: add the port registered with the provider, e.g. :9999`);
    return undefined;
  }
  if (url.hash) {
    problems.add(`${variable} ("${raw}") must not have a fragment`);
    return undefined;
  }
  return url;
}

/** The numbered egress sets (EGRESS_*_N); each problem names its variable. */
export function resolveEgress(env: Env, problems: Problems): EgressSet[] {
  const sets: EgressSet[] = [];
  for (const { index, get } of numberedSets(env, VARIABLES, REQUIRED, problems)) {
    const provider = checkName((get('EGRESS_PROVIDER_NAME') as string).toLowerCase(), `EGRESS_PROVIDER_NAME_${index}`, problems);
    const redirectVariable = `EGRESS_OAUTH_REDIRECT_URI_${index}`;
    const redirectUri = checkRedirectUri(get('EGRESS_OAUTH_REDIRECT_URI') ?? DEFAULT_REDIRECT_URI, redirectVariable, problems);
    const serverRaw = get('EGRESS_MCP_SERVER_NAME');
    const server = serverRaw === undefined ? provider : checkName(serverRaw, `EGRESS_MCP_SERVER_NAME_${index}`, problems);
    if (!provider || !redirectUri || !server) continue;
    const scopes = splitList(get('EGRESS_OAUTH_SCOPE'));
    sets.push({
      index,
      provider,
      clientId: get('EGRESS_OAUTH_CLIENT_ID') as string,
      clientSecret: get('EGRESS_OAUTH_CLIENT_SECRET'),
      redirectUri,
      scopes: scopes.length > 0 ? scopes : undefined,
      server,
      atlassianSite: get('EGRESS_ATLASSIAN_SITE'),
    });
  }
  const seen = new Map<string, number>();
  for (const set of sets) {
    const key = `${set.provider}/${set.server}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.add(
        `egress sets ${earlier} and ${set.index} are both for provider "${set.provider}" and server "${set.server}": ` +
          `give one of them its own EGRESS_MCP_SERVER_NAME_${set.index}`,
      );
    }
    seen.set(key, set.index);
  }
  return sets;
}
