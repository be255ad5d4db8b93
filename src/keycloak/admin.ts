import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { KeycloakAdminSettings } from '../config/keycloak-admin-config.js';
import { FlowError, IdpUnavailableError, McpgwError, OAuthError } from '../errors.js';

/** The client id of an agent's confidential client. */
export function agentClientId(agentId: string): string {
  return `agent-${agentId}-m2m`;
}

const AGENT_CLIENT = /^agent-(.+)-m2m$/;

/** The `groups` mapper every agent client carries: group names (not paths) in the access token. */
const GROUPS_MAPPER = {
  name: 'groups',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-group-membership-mapper',
  consentRequired: false,
  config: {
    'claim.name': 'groups',
    'full.path': 'false',
    'access.token.claim': 'true',
    'id.token.claim': 'false',
    'userinfo.token.claim': 'false',
    'introspection.token.claim': 'true',
  },
};

export interface AgentState {
  agentId: string;
  clientId: string;
  enabled: boolean;
  groups: string[];
}

export interface KeycloakAdmin {
  ensureAgent(agentId: string, groups: readonly string[]): Promise<AgentState & { created: boolean; clientSecret: string }>;
  listAgents(): Promise<AgentState[]>;
  rotateSecret(agentId: string): Promise<string>;
  deleteAgent(agentId: string): Promise<boolean>;
}

/** Turns what the admin client threw into our errors, with what to check. */
function translateAdminError(error: unknown, settings: KeycloakAdminSettings, timeoutMs: number): Error {
  if (error instanceof McpgwError || !(error instanceof Error)) return error as Error;
  const status = (error as { response?: { status?: number } }).response?.status;
  const raw = (error as { responseData?: unknown }).responseData;
  const data =
    typeof raw === 'object' && raw !== null ? (raw as { error?: unknown; error_description?: unknown; errorMessage?: unknown }) : undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return new IdpUnavailableError(`the Keycloak admin API at ${settings.adminUrl} did not answer within ${timeoutMs / 1000} s`, {
      code: 'timeout',
      hint: 'check KEYCLOAK_ADMIN_URL (or KEYCLOAK_URL) and that Keycloak is running; MCPGW_HTTP_TIMEOUT sets the limit',
    });
  }
  if (status === 401 || text(data?.error) === 'invalid_grant') {
    return new OAuthError(text(data?.error) ?? 'unauthorized', text(data?.error_description) ?? 'the admin sign-in was refused', {
      hint: `check KEYCLOAK_ADMIN and KEYCLOAK_ADMIN_PASSWORD (signing in to the ${settings.adminRealm} realm at ${settings.adminUrl})`,
    });
  }
  if (status === 403) {
    return new OAuthError('access_denied', 'the admin user may not do this', {
      hint: `give ${settings.username} the realm-management roles manage-clients, manage-users, view-users and query-groups in ${settings.location.realm}`,
    });
  }
  if (status === 404 && /realm/i.test(text(data?.error) ?? text(data?.errorMessage) ?? '')) {
    return new FlowError(
      'realm_not_found',
      `the realm ${settings.location.realm} does not exist at ${settings.adminUrl}`,
      'check KEYCLOAK_REALM',
    );
  }
  // Any other refusal in OAuth's shape (a 400 from the token endpoint: unauthorized_client, ...).
  const oauthError = text(data?.error);
  if (status !== undefined && status >= 400 && status < 500 && oauthError !== undefined && /^[\x20-\x7e]+$/.test(oauthError)) {
    return new OAuthError(oauthError, text(data?.error_description) ?? text(data?.errorMessage), {
      hint: `the Keycloak admin API at ${settings.adminUrl} refused; check KEYCLOAK_ADMIN, KEYCLOAK_ADMIN_REALM and the admin user's roles`,
    });
  }
  if (status !== undefined && status >= 500) {
    return new IdpUnavailableError(`the Keycloak admin API at ${settings.adminUrl} failed with HTTP ${status}`, {
      hint: 'Keycloak has a problem; try again later',
    });
  }
  if (status === undefined && (error instanceof TypeError || error.name === 'TypeError')) {
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    if (cause === undefined) {
      // Our own code choking on an answer of the wrong shape (`{}` where a list belongs).
      return new IdpUnavailableError(`the Keycloak admin API at ${settings.adminUrl} answered something Keycloak's admin API does not`, {
        code: 'not_admin_api',
        hint: 'check KEYCLOAK_ADMIN_URL (or KEYCLOAK_URL): it should lead to Keycloak',
      });
    }
    const reason = cause.code === 'ERR_BODY_TOO_LARGE' ? 'it answered more than 1 MB, which no admin API answer is' : cause.message;
    return new IdpUnavailableError(`cannot use the Keycloak admin API at ${settings.adminUrl}: ${reason}`, {
      code: cause.code === 'ERR_BODY_TOO_LARGE' ? 'not_admin_api' : 'unreachable',
      hint: 'check KEYCLOAK_ADMIN_URL (or KEYCLOAK_URL) and that Keycloak is running',
    });
  }
  if (status !== undefined) {
    return new IdpUnavailableError(
      `the Keycloak admin API at ${settings.adminUrl} answered HTTP ${status} without an error mcpgw-creds understands`,
      {
        code: 'not_admin_api',
        hint: 'check KEYCLOAK_ADMIN_URL (or KEYCLOAK_URL) and KEYCLOAK_REALM',
      },
    );
  }
  return error;
}

/**
 * Signs in to the admin API and returns the agent operations for the realm. Requests follow the
 * rules of every other request here: each bounded by `timeoutMs`, and made through `transport`
 * (node:http, answers capped at 1 MB, credentials registered for redaction). The admin client calls
 * the global `fetch` and takes no other, so for this process the global fetch is the transport;
 * the `keycloak` commands make no other requests.
 */
export async function connectKeycloakAdmin(
  settings: KeycloakAdminSettings,
  options: { transport: typeof fetch; timeoutMs: number },
): Promise<KeycloakAdmin> {
  globalThis.fetch = options.transport;
  const { default: AdminClient } = await import('@keycloak/keycloak-admin-client');
  const kc: KeycloakAdminClient = new AdminClient({
    baseUrl: settings.adminUrl,
    realmName: settings.adminRealm,
    timeout: options.timeoutMs,
  });
  const realm = settings.location.realm;
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translateAdminError(error, settings, options.timeoutMs);
    }
  };
  await guard(() => kc.auth({ username: settings.username, password: settings.password, grantType: 'password', clientId: 'admin-cli' }));
  kc.setConfig({ realmName: realm });

  const findClient = async (agentId: string) => (await kc.clients.find({ clientId: agentClientId(agentId), realm }))[0];
  const groupsOf = async (clientUuid: string): Promise<Array<{ id: string; name: string }>> => {
    const user = await kc.clients.getServiceAccountUser({ id: clientUuid, realm });
    return (await kc.users.listGroups({ id: user.id as string, realm })).map((group) => ({
      id: group.id as string,
      name: group.name as string,
    }));
  };

  return {
    ensureAgent: (agentId, groupNames) =>
      guard(async () => {
        const clientId = agentClientId(agentId);
        const representation = {
          clientId,
          name: `Agent ${agentId}`,
          description: "An agent's service account, managed by mcpgw-creds keycloak create-agent",
          enabled: true,
          protocol: 'openid-connect',
          publicClient: false,
          clientAuthenticatorType: 'client-secret',
          serviceAccountsEnabled: true,
          standardFlowEnabled: false,
          implicitFlowEnabled: false,
          directAccessGrantsEnabled: false,
        };
        const existing = await findClient(agentId);
        let uuid: string;
        if (existing) {
          uuid = existing.id as string;
          await kc.clients.update({ id: uuid, realm }, { ...existing, ...representation });
        } else {
          uuid = (await kc.clients.create({ ...representation, realm })).id;
        }

        const mapper = (await kc.clients.listProtocolMappers({ id: uuid, realm })).find((m) => m.name === GROUPS_MAPPER.name);
        if (!mapper) await kc.clients.addProtocolMapper({ id: uuid, realm }, GROUPS_MAPPER);
        else await kc.clients.updateProtocolMapper({ id: uuid, mapperId: mapper.id as string, realm }, { ...mapper, ...GROUPS_MAPPER });

        // Without the `basic` scope Keycloak puts aud=account and no groups in the token.
        const basic = (await kc.clientScopes.find({ realm })).find((scope) => scope.name === 'basic');
        if (!basic)
          throw new FlowError(
            'no_basic_scope',
            `the realm ${realm} has no "basic" client scope`,
            'Keycloak 25 or later creates it; add it to the realm',
          );
        const defaults = await kc.clients.listDefaultClientScopes({ id: uuid, realm });
        if (!defaults.some((scope) => scope.id === basic.id))
          await kc.clients.addDefaultClientScope({ id: uuid, clientScopeId: basic.id as string, realm });

        const wanted: Array<{ id: string; name: string }> = [];
        for (const name of groupNames) {
          const group = (await kc.groups.find({ search: name, exact: true, realm, briefRepresentation: true })).find(
            (g) => g.name === name,
          );
          if (!group) {
            const known = (await kc.groups.find({ realm, briefRepresentation: true })).map((g) => g.name).join(', ');
            throw new FlowError(
              'group_not_found',
              `the group ${name} does not exist in the realm ${realm} (groups: ${known || 'none'})`,
              'create it in Keycloak, or pass an existing one with --group',
            );
          }
          wanted.push({ id: group.id as string, name });
        }
        const user = await kc.clients.getServiceAccountUser({ id: uuid, realm });
        const current = await groupsOf(uuid);
        for (const group of wanted)
          if (!current.some((g) => g.id === group.id)) await kc.users.addToGroup({ id: user.id as string, groupId: group.id, realm });
        for (const group of current)
          if (!wanted.some((g) => g.id === group.id)) await kc.users.delFromGroup({ id: user.id as string, groupId: group.id, realm });

        const secret = await kc.clients.getClientSecret({ id: uuid, realm });
        return {
          agentId,
          clientId,
          enabled: true,
          groups: wanted.map((g) => g.name),
          created: !existing,
          clientSecret: secret.value as string,
        };
      }),

    listAgents: () =>
      guard(async () => {
        const clients = (await kc.clients.find({ realm, search: true, clientId: 'agent-' })).filter((c) =>
          AGENT_CLIENT.test(c.clientId ?? ''),
        );
        const agents: AgentState[] = [];
        for (const client of clients) {
          agents.push({
            agentId: AGENT_CLIENT.exec(client.clientId as string)?.[1] as string,
            clientId: client.clientId as string,
            enabled: client.enabled !== false,
            groups: client.serviceAccountsEnabled ? (await groupsOf(client.id as string)).map((g) => g.name).sort() : [],
          });
        }
        return agents.sort((a, b) => a.agentId.localeCompare(b.agentId));
      }),

    rotateSecret: (agentId) =>
      guard(async () => {
        const client = await findClient(agentId);
        if (!client)
          throw new FlowError(
            'agent_not_found',
            `no client ${agentClientId(agentId)} in the realm ${realm}`,
            `create it with mcpgw-creds keycloak create-agent --agent-id ${agentId}`,
          );
        return (await kc.clients.generateNewClientSecret({ id: client.id as string, realm })).value as string;
      }),

    deleteAgent: (agentId) =>
      guard(async () => {
        const client = await findClient(agentId);
        if (!client) return false;
        await kc.clients.del({ id: client.id as string, realm });
        return true;
      }),
  };
}
