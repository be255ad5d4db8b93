import { resolveAgents, type AgentDefinition, type AgentFileEntry } from '../config/agents-config.js';
import type { Section } from '../config/config.js';
import { Problems } from '../config/problems.js';
import { AUTH_PROVIDERS, type AgentCoreSet, type EgressSet, type IngressConfig } from '../config/types.js';
import { ConfigError, McpgwError } from '../errors.js';
import { resolveProvider, type ResolvedProvider } from '../providers/resolve.js';
import { agentIdOf } from '../store/layout.js';
import type { Deps } from './deps.js';
import type { TokenStep } from './outcome.js';

/** What a use case wants tokens for. */
export interface Selection {
  steps: ReadonlySet<TokenStep>;
  /** The step a `--*-only` option asked for: nothing configured for it is then an error. */
  only?: TokenStep | undefined;
  /** Egress limited to these providers (--provider). */
  providers?: readonly string[];
  /** Egress and AgentCore limited to these servers. */
  servers?: readonly string[];
  /** Agents limited to these ids. */
  agentIds?: readonly string[];
  /** --device: every selected provider must offer the device flow. */
  device?: boolean | undefined;
}

/** The selected steps, each with what it needs, checked. */
export interface Plan {
  ingress: IngressConfig | undefined;
  agents: AgentDefinition[];
  agentcore: AgentCoreSet[];
  egress: Array<{ set: EgressSet; provider: ResolvedProvider }>;
}

export const ALL_STEPS: ReadonlySet<TokenStep> = new Set(['ingress', 'agents', 'agentcore', 'egress']);

/** Whether the plan has work for the step (something is configured for it). */
export function hasWork(plan: Plan, step: TokenStep): boolean {
  if (step === 'ingress') return plan.ingress !== undefined;
  if (step === 'agents') return plan.agents.length > 0;
  if (step === 'agentcore') return plan.agentcore.length > 0;
  return plan.egress.length > 0;
}

function take<T>(part: Section<T>, problems: Problems): T {
  for (const problem of part.problems) problems.add(problem);
  for (const warning of part.warnings) problems.warn(warning);
  return part.value;
}

/** The agent files of the tokens directory, read through the store. */
async function agentFiles(deps: Pick<Deps, 'store'>, problems: Problems): Promise<AgentFileEntry[]> {
  const entries: AgentFileEntry[] = [];
  for (const file of await deps.store.list()) {
    const id = agentIdOf(file);
    if (id === undefined) continue;
    try {
      entries.push({ id, file, dir: deps.store.dir, value: await deps.store.readJson(file) });
    } catch (error) {
      problems.add(error instanceof McpgwError ? error.message : `cannot read ${file}: ${String(error)}`);
    }
  }
  return entries;
}

/**
 * Resolves and checks everything the selected steps need, and throws one ConfigError listing every
 * problem, before any request is made (exit 2).
 */
export async function planSteps(
  deps: Pick<Deps, 'config' | 'store' | 'providers' | 'log' | 'system'>,
  selection: Selection,
): Promise<Plan> {
  const { steps, only } = selection;
  const { config } = deps;
  const problems = new Problems();
  const ingress = steps.has('ingress') ? take(config.ingress, problems) : undefined;
  let agentcore = steps.has('agentcore') ? take(config.agentcore, problems) : [];
  const egress = steps.has('egress') ? take(config.egress, problems) : [];
  let agents: AgentDefinition[] = [];
  if (steps.has('agents')) {
    const keycloak = take(config.keycloak, problems);
    agents = resolveAgents(await agentFiles(deps, problems), keycloak, config.settings, problems);
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
  const resolved: Plan['egress'] = [];
  if (selectedEgress.length > 0) {
    const catalogue = await deps.providers();
    for (const set of selectedEgress) {
      const definition = catalogue.get(set.provider);
      if (!definition) {
        problems.add(
          `EGRESS_PROVIDER_NAME_${set.index} is "${set.provider}", which no provider definition describes (known: ${catalogue.names().join(', ')}): ` +
            'add a YAML definition to --providers-dir',
        );
        continue;
      }
      const provider = resolveProvider(definition, set, config.settings.env, config.settings, problems);
      if (provider) resolved.push({ set, provider });
      if (provider && selection.device === true && !provider.deviceAuthorizationEndpoint) {
        problems.add(
          `--device, but the ${definition.name} provider (set ${set.index}) offers no device flow (no device_authorization_url in ${definition.file})`,
        );
      }
      if (!definition.pkce)
        problems.warn(`${definition.file} turns PKCE off (pkce: false): the authorization code is not bound to this run`);
    }
  }

  // Key files are configuration too: read and checked now, not when their step's turn comes.
  const signed = [...(ingress ? [ingress.client] : []), ...agents.map((agent) => agent.client)].filter(
    (client) => client.credential.method === 'private_key_jwt',
  );
  if (signed.length > 0 && problems.errors.length === 0) {
    const { signingKey } = await import('../oauth/client-auth.js');
    for (const client of signed) {
      await signingKey(client, { checkKeyMode: deps.system.platform !== 'win32' }).catch((error: unknown) => {
        if (!(error instanceof ConfigError)) throw error;
        problems.add(error.hint ? `${error.message} (${error.hint})` : error.message);
      });
    }
  }

  if (problems.errors.length === 0) {
    if (only === 'ingress' && !ingress)
      problems.add(`--ingress-only, but AUTH_PROVIDER is not set: set it to ${AUTH_PROVIDERS.join(', ')}`);
    if (only === 'agentcore' && agentcore.length === 0) {
      problems.add('--agentcore-only, but no AgentCore set is configured: set AGENTCORE_CLIENT_ID_1 and the rest of set 1');
    }
    if (only === 'egress' && selectedEgress.length === 0) {
      problems.add('--egress-only, but no egress set is configured: set EGRESS_PROVIDER_NAME_1 and EGRESS_OAUTH_CLIENT_ID_1');
    }
    if (only === 'agents' && agents.length === 0) {
      problems.add(`--agents-only, but ${config.settings.tokensDir} holds no agent-{id}.json with client_id and client_secret`);
    }
  }
  problems.throwIfAny();
  for (const warning of problems.warnings) deps.log.warnOnce(warning);
  return { ingress, agents, agentcore, egress: resolved };
}
