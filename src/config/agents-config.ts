import path from 'node:path';
import { keycloakTokenEndpoint } from './ingress/index.js';
import { isSafeName } from './names.js';
import type { Problems } from './problems.js';
import type { ClientCredentialsClient, KeycloakLocation } from './types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from './urls.js';

export interface AgentDefinition {
  id: string;
  file: string;
  keycloakUrl: string;
  realm: string;
  client: ClientCredentialsClient;
}

/** An agent file as read from the tokens directory. */
export interface AgentFileEntry {
  id: string;
  file: string;
  /** The directory it is in, for messages. */
  dir: string;
  value: unknown;
}

/**
 * The agents: each `agent-{id}.json` that holds `client_id` and `client_secret`, or instead a
 * `private_key_file` (and `key_id`) to sign a private_key_jwt assertion with (a relative path is
 * taken from the agent file's folder). Its `keycloak_url`
 * and `realm` default to KEYCLOAK_URL and KEYCLOAK_REALM.
 */
export function resolveAgents(
  entries: readonly AgentFileEntry[],
  keycloak: KeycloakLocation | undefined,
  rules: UrlRules,
  problems: Problems,
): AgentDefinition[] {
  const agents: AgentDefinition[] = [];
  for (const { id, file, dir, value } of entries) {
    if (typeof value !== 'object' || value === null) continue;
    const fields = value as Record<string, unknown>;
    if (!('client_secret' in fields) && !('private_key_file' in fields)) continue;
    const where = `${file} in ${dir}`;
    if (!isSafeName(id)) {
      problems.add(`${where}: the agent id "${id}" may hold only letters, digits, ".", "_" and "-"`);
      continue;
    }
    const text = (name: string): string | undefined => {
      const field = fields[name];
      if (field === undefined || field === null) return undefined;
      if (typeof field !== 'string' || field.trim() === '') {
        problems.add(`${where}: "${name}" must be a non-empty string`);
        return undefined;
      }
      return field.trim();
    };
    const clientId = text('client_id');
    const clientSecret = text('client_secret');
    const keyFile = text('private_key_file');
    if (clientSecret !== undefined && keyFile !== undefined) {
      problems.add(`${where}: "client_secret" and "private_key_file" exclude each other: keep the one the client in Keycloak uses`);
    }
    if (clientId === undefined && !problems.errors.some((p) => p.startsWith(where))) {
      problems.add(`${where}: "client_id" is missing: add the agent client's id`);
    }
    const urlRaw = text('keycloak_url');
    let keycloakUrl = keycloak?.url;
    if (urlRaw !== undefined) {
      const url = checkServiceUrl(urlRaw, `"keycloak_url" in ${where}`, rules, problems);
      keycloakUrl = url ? baseUrlText(url) : undefined;
    } else if (keycloak === undefined) {
      problems.add(`${where} has no "keycloak_url" and KEYCLOAK_URL is not set: add one of them`);
    }
    const realm = text('realm') ?? keycloak?.realm ?? 'mcp-gateway';
    if (!clientId || (!clientSecret && !keyFile) || (clientSecret && keyFile) || !keycloakUrl) continue;
    agents.push({
      id,
      file,
      keycloakUrl,
      realm,
      client: {
        ...keycloakTokenEndpoint({ url: keycloakUrl, realm }),
        clientId,
        credential: clientSecret
          ? { method: 'client_secret_post', secret: clientSecret }
          : // A relative path is the agent file's neighbour.
            { method: 'private_key_jwt', keyFile: path.resolve(dir, keyFile as string), keyId: text('key_id') },
        scope: undefined,
        params: {},
        assertionAudiences: [],
        origin: {
          clientId: `"client_id" in ${file}`,
          clientSecret: clientSecret ? `"client_secret" in ${file}` : `"private_key_file" (and "key_id") in ${file}`,
          scope: "the client's default scopes in Keycloak",
          url: `"keycloak_url" and "realm" in ${file} (or KEYCLOAK_URL and KEYCLOAK_REALM)`,
        },
      },
    });
  }
  return agents;
}
