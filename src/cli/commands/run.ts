import { resolveAgentCore } from '../../config/agentcore-config.js';
import { resolveAgents, type AgentDefinition } from '../../config/agents-config.js';
import { resolveEgress } from '../../config/egress-config.js';
import { resolveIngress, resolveKeycloakLocation } from '../../config/ingress-config.js';
import { Problems } from '../../config/problems.js';
import { resolveSettings, type CommonFlags, type Settings } from '../../config/settings.js';
import type { AgentCoreSet, ClientCredentialsClient, EgressSet, IngressConfig } from '../../config/types.js';
import { UsageError } from '../../errors.js';
import { obtainAgentToken } from '../../flows/agents.js';
import { obtainAgentCoreToken } from '../../flows/agentcore.js';
import type { ClientCredentialsDeps, ObtainedToken } from '../../flows/client-credentials-flow.js';
import { obtainIngressToken } from '../../flows/ingress.js';
import { obtainEgressToken, type EgressDeps } from '../../flows/egress.js';
import { renderClientConfigs } from '../../flows/render.js';
import { loadCatalogue, type Catalogue } from '../../providers/catalogue.js';
import { resolveProvider, type ResolvedProvider } from '../../providers/resolve.js';
import { requestClientCredentials } from '../../oauth/client-credentials.js';
import { FsTokenStore } from '../../store/fs-token-store.js';
import type { TokenStore } from '../../store/token-store.js';
import type { CliContext } from '../context.js';
import { loginSurface } from '../login-ui.js';
import { errorReport, jsonSummary, printStep, type StepName, type StepReport } from '../report.js';

export interface RunFlags extends CommonFlags {
  all?: boolean;
  ingressOnly?: boolean;
  egressOnly?: boolean;
  agentsOnly?: boolean;
  keycloakOnly?: boolean;
  agentcoreOnly?: boolean;
  provider?: string[];
  force?: boolean;
  browser?: boolean;
  device?: boolean;
  timeout?: number;
  json?: boolean;
}

type TokenStep = Exclude<StepName, 'render'>;

/** Which steps run: every one, or the one a `--*-only` option names. */
export function selectSteps(flags: RunFlags): { steps: Set<TokenStep>; only: TokenStep | undefined } {
  const only: TokenStep | undefined = flags.ingressOnly
    ? 'ingress'
    : flags.egressOnly
      ? 'egress'
      : flags.agentsOnly || flags.keycloakOnly
        ? 'agents'
        : flags.agentcoreOnly
          ? 'agentcore'
          : undefined;
  if ((flags.provider?.length ?? 0) > 0 && only !== undefined && only !== 'egress') {
    throw new UsageError(`--provider limits the egress step, which --${only}-only leaves out`, 'drop --provider, or use --egress-only');
  }
  return { steps: new Set(only ? [only] : ['ingress', 'agents', 'agentcore', 'egress']), only };
}

interface Plan {
  settings: Settings;
  store: TokenStore;
  ingress: IngressConfig | undefined;
  agents: AgentDefinition[];
  agentcore: AgentCoreSet[];
  egress: Array<{ set: EgressSet; provider: ResolvedProvider }>;
  catalogue: Catalogue | undefined;
}

/** Resolves and checks everything the selected steps need; throws one ConfigError before any request. */
async function plan(flags: RunFlags, cli: CliContext, steps: Set<TokenStep>, only: TokenStep | undefined): Promise<Plan> {
  const problems = new Problems();
  const settings = resolveSettings(flags, { cwd: cli.cwd, processEnv: cli.env }, problems);
  const store = new FsTokenStore(settings.tokensDir, { warn: cli.io.warn });
  const ingress = steps.has('ingress') ? resolveIngress(settings.env, settings, problems) : undefined;
  const agentcore = steps.has('agentcore') ? resolveAgentCore(settings.env, settings, problems) : [];
  const egress = steps.has('egress') ? resolveEgress(settings.env, problems) : [];
  let agents: AgentDefinition[] = [];
  if (steps.has('agents')) {
    const keycloak = resolveKeycloakLocation(settings.env, settings, problems);
    agents = await resolveAgents(store, keycloak, settings, problems);
  }

  const providers = flags.provider ?? [];
  for (const provider of providers) {
    if (!egress.some((set) => set.provider === provider.toLowerCase())) {
      const known = [...new Set(egress.map((set) => set.provider))];
      problems.add(
        `--provider ${provider}: no egress set is for that provider (${known.length > 0 ? `configured: ${known.join(', ')}` : 'none is configured'}); ` +
          'add EGRESS_PROVIDER_NAME_N and EGRESS_OAUTH_CLIENT_ID_N',
      );
    }
  }
  const selectedEgress = providers.length > 0 ? egress.filter((set) => providers.some((p) => p.toLowerCase() === set.provider)) : egress;
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
      if (provider && flags.device === true && !provider.deviceAuthorizationEndpoint) {
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

/**
 * The main command (SPEC §3): ingress, agent tokens, AgentCore, egress, then the client
 * configurations. A failing step does not stop the others; the exit status is the first failure's.
 */
export async function runMain(flags: RunFlags, cli: CliContext): Promise<number> {
  const { io } = cli;
  const { steps, only } = selectSteps(flags);
  const { settings, store, ingress, agents, agentcore, egress, catalogue } = await plan(flags, cli, steps, only);
  const force = flags.force === true;
  const reports: StepReport[] = [];
  const nowSeconds = (): number => Math.floor(cli.clock.now() / 1000);
  const report = (entry: StepReport): void => {
    reports.push(entry);
    printStep(io, entry, { cwd: cli.cwd, nowSeconds: nowSeconds() });
  };

  const deps = (what: string): ClientCredentialsDeps => ({
    store,
    clock: cli.clock,
    onSecret: (value) => io.addSecret(value),
    request: (client: ClientCredentialsClient) =>
      requestClientCredentials(client, { timeoutMs: settings.httpTimeoutMs, what, log: (line) => io.detail(line) }),
  });
  const tokenStep = async (step: TokenStep, name: string | undefined, label: string, work: () => Promise<ObtainedToken>): Promise<void> => {
    const spinner = io.spinner(label);
    try {
      const obtained = await work();
      spinner.stop();
      report({
        step,
        ...(name ? { name } : {}),
        status: obtained.status,
        file: obtained.file,
        expires_at: obtained.record.expires_at,
        expires_at_human: obtained.record.expires_at_human,
      });
    } catch (error) {
      spinner.stop();
      if (!(error instanceof Error) || !('exitCode' in error)) io.detail(error instanceof Error ? (error.stack ?? error.message) : String(error));
      report({ step, ...(name ? { name } : {}), status: 'failed', error: errorReport(error) });
    }
  };

  if (steps.has('ingress')) {
    if (ingress) {
      const what = ingress.provider === 'keycloak' ? 'the Keycloak token endpoint' : 'the Cognito token endpoint';
      await tokenStep('ingress', ingress.provider, `ingress: requesting a token from ${what}`, () =>
        obtainIngressToken(deps(what), ingress, { force }),
      );
    } else {
      report({ step: 'ingress', status: 'skipped', reason: 'AUTH_PROVIDER is not set' });
    }
  }
  if (steps.has('agents')) {
    for (const agent of agents) {
      const what = `the Keycloak token endpoint for agent ${agent.id}`;
      await tokenStep('agents', agent.id, `agent ${agent.id}: requesting a token`, () => obtainAgentToken(deps(what), agent, { force }));
    }
    if (agents.length === 0) report({ step: 'agents', status: 'skipped', reason: 'no agent-{id}.json in the tokens directory' });
  }
  if (steps.has('agentcore')) {
    for (const set of agentcore) {
      const what = `the AgentCore token endpoint of set ${set.index}`;
      await tokenStep('agentcore', set.server, `agentcore ${set.server}: requesting a token`, () =>
        obtainAgentCoreToken(deps(what), set, { force }),
      );
    }
    if (agentcore.length === 0) report({ step: 'agentcore', status: 'skipped', reason: 'AGENTCORE_CLIENT_ID_1 is not set' });
  }
  if (steps.has('egress') && egress.length === 0) report({ step: 'egress', status: 'skipped', reason: 'EGRESS_PROVIDER_NAME_1 is not set' });
  if (steps.has('egress') && egress.length > 0) {
    const surface = loginSurface(io, cli.env, { browser: flags.browser !== false });
    const egressDeps: EgressDeps = {
      store,
      clock: cli.clock,
      onSecret: (value) => io.addSecret(value),
      ...surface,
      httpTimeoutMs: settings.httpTimeoutMs,
      browserTimeoutMs: (flags.timeout ?? 300) * 1000,
      device: flags.device === true ? 'explicit' : flags.device === false ? 'off' : 'auto',
    };
    // One set after another: each has its own listener and its own browser tab.
    for (const { set, provider } of egress) {
      try {
        const obtained = await obtainEgressToken(egressDeps, set, provider, { force });
        report({
          step: 'egress',
          name: set.server,
          status: obtained.status,
          via: obtained.via,
          file: obtained.file,
          expires_at: obtained.record.expires_at,
          expires_at_human: obtained.record.expires_at_human,
        });
      } catch (error) {
        if (!(error instanceof Error) || !('exitCode' in error)) io.detail(error instanceof Error ? (error.stack ?? error.message) : String(error));
        report({ step: 'egress', name: set.server, status: 'failed', error: errorReport(error) });
      }
    }
  }

  const haveTokens = reports.some((entry) => entry.status === 'ok' || entry.status === 'cached');
  if (!haveTokens) {
    report({ step: 'render', status: 'skipped', reason: 'no token was obtained or reused' });
  } else {
    try {
      const rendered = await renderClientConfigs(
        { store, clock: cli.clock, warn: (message) => io.warn(message), onSecret: (value) => io.addSecret(value) },
        {
          registryUrl: settings.registryUrl,
          mcpServers: settings.mcpServers,
          loadProviderHeaders: async () => {
            const loaded = catalogue ?? (await loadCatalogue(settings.providersDir));
            return (name) => loaded.get(name)?.mcp_headers;
          },
        },
      );
      if (rendered.status === 'skipped') io.warn(`client configurations not written: ${rendered.reason}; set it to the gateway's URL`);
      report({
        step: 'render',
        status: rendered.status,
        ...(rendered.status === 'ok' ? { files: rendered.files, changed: rendered.changed } : { reason: rendered.reason }),
      });
    } catch (error) {
      report({ step: 'render', status: 'failed', error: errorReport(error) });
    }
  }

  const exitCode = reports.find((entry) => entry.status === 'failed')?.error?.exit_code ?? 0;
  if (flags.json) io.out(jsonSummary(reports, exitCode));
  return exitCode;
}
