import { resolveAgentCore } from '../config/agentcore-config.js';
import { resolveAgents, type AgentDefinition } from '../config/agents-config.js';
import { resolveEgress } from '../config/egress-config.js';
import { resolveIngress, resolveKeycloakLocation } from '../config/ingress-config.js';
import { Problems } from '../config/problems.js';
import type { CommonFlags, Settings } from '../config/settings.js';
import type { AgentCoreSet, EgressSet, IngressConfig } from '../config/types.js';
import { loadCatalogue, type Catalogue } from '../providers/catalogue.js';
import { resolveProvider, type ResolvedProvider } from '../providers/resolve.js';
import type { TokenStore } from '../store/token-store.js';
import type { CliContext } from './context.js';
import { openSettingsAndStore } from './settings-store.js';

export type TokenStep = 'ingress' | 'agents' | 'agentcore' | 'egress';

/** What a command wants tokens for. */
export interface Selection {
  steps: ReadonlySet<TokenStep>;
  /** The step a `--*-only` option asked for: nothing configured for it is then an error. */
  only?: TokenStep | undefined;
  /** Egress limited to these providers (--provider). */
  providers?: readonly string[];
  /** Egress and AgentCore limited to these servers (token --server, headers). */
  servers?: readonly string[];
  /** Agents limited to these ids (token --agent). */
  agentIds?: readonly string[];
  /** --device: every selected provider must offer the device flow. */
  device?: boolean | undefined;
}

export interface Plan {
  settings: Settings;
  store: TokenStore;
  ingress: IngressConfig | undefined;
  agents: AgentDefinition[];
  agentcore: AgentCoreSet[];
  egress: Array<{ set: EgressSet; provider: ResolvedProvider }>;
  catalogue: Catalogue | undefined;
}

/**
 * Resolves and checks everything the selected steps need, and throws one ConfigError listing every
 * problem, before any request is made (SPEC §3, exit 2).
 */
export async function planSteps(flags: CommonFlags, cli: CliContext, selection: Selection): Promise<Plan> {
  const { steps, only } = selection;
  const { settings, store } = await openSettingsAndStore(flags, cli);
  const problems = new Problems();
  const ingress = steps.has('ingress') ? resolveIngress(settings.env, settings, problems) : undefined;
  let agentcore = steps.has('agentcore') ? resolveAgentCore(settings.env, settings, problems) : [];
  const egress = steps.has('egress') ? resolveEgress(settings.env, problems) : [];
  let agents: AgentDefinition[] = [];
  if (steps.has('agents')) {
    const keycloak = resolveKeycloakLocation(settings.env, settings, problems);
    agents = await resolveAgents(store, keycloak, settings, problems);
    if (selection.agentIds) agents = agents.filter((agent) => selection.agentIds?.includes(agent.id));
  }
  if (selection.servers) agentcore = agentcore.filter((set) => selection.servers?.includes(set.server));

  const providers = selection.providers ?? [];
  for (const provider of providers) {
    if (!egress.some((set) => set.provider === provider.toLowerCase())) {
      const known = [...new Set(egress.map((set) => set.provider))];
      problems.add(
        `--provider ${provider}: no egress set is for that provider (${known.length > 0 ? `configured: ${known.join(', ')}` : 'none is configured'}); ` +
          'add EGRESS_PROVIDER_NAME_N and EGRESS_OAUTH_CLIENT_ID_N',
      );
    }
  }
  const selectedEgress = egress.filter(
    (set) =>
      (providers.length === 0 || providers.some((p) => p.toLowerCase() === set.provider)) &&
      (selection.servers === undefined || selection.servers.includes(set.server)),
  );
  let catalogue: Catalogue | undefined;
  const resolved: Plan['egress'] = [];
  if (selectedEgress.length > 0) {
    catalogue = await loadCatalogue(settings.providersDir);
    for (const set of selectedEgress) {
      const definition = catalogue.get(set.provider);
      if (!definition) {
        problems.add(
          `EGRESS_PROVIDER_NAME_${set.index} is "${set.provider}", which no provider definition describes (known: ${catalogue.names().join(', ')}): ` +
            'add a YAML definition to --providers-dir',
        );
        continue;
      }
      const provider = resolveProvider(definition, set, settings.env, settings, problems);
      if (provider) resolved.push({ set, provider });
      if (provider && selection.device === true && !provider.deviceAuthorizationEndpoint) {
        problems.add(`--device, but the ${definition.name} provider (set ${set.index}) offers no device flow (no device_authorization_url in ${definition.file})`);
      }
      if (!definition.pkce) problems.warn(`${definition.file} turns PKCE off (pkce: false): the authorization code is not bound to this run`);
    }
  }

  if (problems.errors.length === 0) {
    if (only === 'ingress' && !ingress) problems.add('--ingress-only, but AUTH_PROVIDER is not set: set it to keycloak or cognito');
    if (only === 'agentcore' && agentcore.length === 0) {
      problems.add('--agentcore-only, but no AgentCore set is configured: set AGENTCORE_CLIENT_ID_1 and the rest of set 1');
    }
    if (only === 'egress' && selectedEgress.length === 0) {
      problems.add('--egress-only, but no egress set is configured: set EGRESS_PROVIDER_NAME_1 and EGRESS_OAUTH_CLIENT_ID_1');
    }
    if (only === 'agents' && agents.length === 0) {
      problems.add(`--agents-only, but ${settings.tokensDir} holds no agent-{id}.json with client_id and client_secret`);
    }
  }
  for (const client of [ingress?.client, ...agents.map((a) => a.client), ...agentcore.map((a) => a.client)]) {
    cli.io.addSecret(client?.clientSecret);
  }
  for (const set of egress) cli.io.addSecret(set.clientSecret);
  problems.throwIfAny();
  for (const warning of problems.warnings) cli.io.warn(warning);
  return { settings, store, ingress, agents, agentcore, egress: resolved, catalogue };
}
