import type { ClientCredentialsClient } from '../config/types.js';
import { McpgwError } from '../errors.js';
import type { ClientCredentialsDeps, ObtainedToken } from '../flows/client-credentials-flow.js';
import type { EgressDeps } from '../flows/egress.js';
import { loadCatalogue } from '../providers/catalogue.js';
import type { TokenRecord } from '../store/records.js';
import type { CliContext } from './context.js';
import type { Plan } from './plan.js';
import { errorReport, type StepReport } from './report.js';

export interface StepOptions {
  force: boolean;
  /** Reuse a stored token while it stays valid for more than this (default 5 minutes). */
  marginSeconds?: number;
  /** Cap that margin at half a token's lifetime (refresh). */
  halfLife?: boolean;
  /** Egress may start a sign-in (the main command) or only refresh (refresh, token, headers). */
  signIn: boolean;
  browser: boolean;
  device: boolean | undefined;
  browserTimeoutSeconds: number;
  /** Show a spinner while waiting (not for the long-running watcher's log). */
  spinner?: boolean;
}

/** A step's outcome, and the record it produced (to print a token or headers from). */
export type StepSink = (report: StepReport, record?: TokenRecord) => void;

/**
 * Runs the planned token steps in SPEC §3's order: ingress, agents, AgentCore, egress. A failing
 * step does not stop the others; each outcome goes to `sink` as it happens.
 */
export async function executeSteps(plan: Plan, cli: CliContext, options: StepOptions, sink: StepSink): Promise<void> {
  const { io } = cli;
  const { settings, store } = plan;
  const tokenOptions = {
    force: options.force,
    halfLife: options.halfLife === true,
    ...(options.marginSeconds !== undefined ? { marginSeconds: options.marginSeconds } : {}),
  };
  // Each stack loads only when its step has something to do: a cached ingress run needs no browser code.
  const { requestClientCredentials } = await import('../oauth/client-credentials.js');
  const deps = (what: string): ClientCredentialsDeps => ({
    store,
    clock: cli.clock,
    onSecret: (value) => io.addSecret(value),
    request: (client: ClientCredentialsClient) =>
      requestClientCredentials(client, { timeoutMs: settings.httpTimeoutMs, what, log: (line) => io.detail(line) }),
  });
  const failed = (step: StepReport['step'], name: string | undefined, error: unknown): void => {
    if (!(error instanceof McpgwError)) io.detail(error instanceof Error ? (error.stack ?? error.message) : String(error));
    sink({ step, ...(name ? { name } : {}), status: 'failed', error: errorReport(error) });
  };
  const tokenStep = async (step: StepReport['step'], name: string | undefined, label: string, work: () => Promise<ObtainedToken>): Promise<void> => {
    const spinner = options.spinner === false ? { stop: () => undefined } : io.spinner(label);
    try {
      const obtained = await work();
      spinner.stop();
      sink(
        { step, ...(name ? { name } : {}), status: obtained.status, file: obtained.file, expires_at: obtained.record.expires_at, expires_at_human: obtained.record.expires_at_human },
        obtained.record,
      );
    } catch (error) {
      spinner.stop();
      failed(step, name, error);
    }
  };

  if (plan.ingress) {
    const { obtainIngressToken } = await import('../flows/ingress.js');
    const ingress = plan.ingress;
    const what = ingress.provider === 'keycloak' ? 'the Keycloak token endpoint' : 'the Cognito token endpoint';
    await tokenStep('ingress', ingress.provider, `ingress: requesting a token from ${what}`, () => obtainIngressToken(deps(what), ingress, tokenOptions));
  }
  if (plan.agents.length > 0) {
    const { obtainAgentToken } = await import('../flows/agents.js');
    for (const agent of plan.agents) {
      const what = `the Keycloak token endpoint for agent ${agent.id}`;
      await tokenStep('agents', agent.id, `agent ${agent.id}: requesting a token`, () => obtainAgentToken(deps(what), agent, tokenOptions));
    }
  }
  if (plan.agentcore.length > 0) {
    const { obtainAgentCoreToken } = await import('../flows/agentcore.js');
    for (const set of plan.agentcore) {
      const what = `the AgentCore token endpoint of set ${set.index}`;
      await tokenStep('agentcore', set.server, `agentcore ${set.server}: requesting a token`, () => obtainAgentCoreToken(deps(what), set, tokenOptions));
    }
  }
  if (plan.egress.length === 0) return;
  const [{ obtainEgressToken }, { loginSurface }] = await Promise.all([import('../flows/egress.js'), import('./login-ui.js')]);
  const surface = loginSurface(io, cli.env, { browser: options.browser });
  const egressDeps: EgressDeps = {
    store,
    clock: cli.clock,
    onSecret: (value) => io.addSecret(value),
    ...surface,
    httpTimeoutMs: settings.httpTimeoutMs,
    browserTimeoutMs: options.browserTimeoutSeconds * 1000,
    device: options.device === true ? 'explicit' : options.device === false ? 'off' : 'auto',
  };
  // One set after another: each has its own listener and its own browser tab.
  for (const { set, provider } of plan.egress) {
    try {
      const obtained = await obtainEgressToken(egressDeps, set, provider, { ...tokenOptions, signIn: options.signIn });
      sink(
        {
          step: 'egress',
          name: set.server,
          status: obtained.status,
          via: obtained.via,
          file: obtained.file,
          expires_at: obtained.record.expires_at,
          expires_at_human: obtained.record.expires_at_human,
        },
        obtained.record,
      );
    } catch (error) {
      failed('egress', set.server, error);
    }
  }
}

/** Renders the client configurations from the token files present (SPEC §7) and reports how it went. */
export async function renderStep(plan: Plan, cli: CliContext, sink: StepSink): Promise<void> {
  const { io } = cli;
  const { settings } = plan;
  try {
    const { renderClientConfigs } = await import('../flows/render.js');
    const rendered = await renderClientConfigs(
      { store: plan.store, clock: cli.clock, warn: (message) => io.warn(message), onSecret: (value) => io.addSecret(value) },
      {
        registryUrl: settings.registryUrl,
        mcpServers: settings.mcpServers,
        loadProviderHeaders: async () => {
          const loaded = plan.catalogue ?? (await loadCatalogue(settings.providersDir));
          return (name) => loaded.get(name)?.mcp_headers;
        },
        headersHelper: headersHelperCommand(settings, cli),
      },
    );
    if (rendered.status === 'skipped') io.warn(`client configurations not written: ${rendered.reason}; set it to the gateway's URL`);
    sink({
      step: 'render',
      status: rendered.status,
      ...(rendered.status === 'ok' ? { files: rendered.files, changed: rendered.changed } : { reason: rendered.reason }),
    });
  } catch (error) {
    sink({ step: 'render', status: 'failed', error: errorReport(error) });
  }
}

const shellQuote = (text: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/**
 * The command Claude Code runs for a server's headers (its `headersHelper`): this very program, by
 * absolute paths, with the tokens directory, env files, provider folder and store of this run, so
 * it finds the same tokens from whatever directory Claude Code starts it in.
 */
export function headersHelperCommand(settings: Plan['settings'], cli: CliContext): (server: string) => string {
  const script = cli.entryScript ?? process.argv[1] ?? 'mcpgw-creds';
  const parts = [process.execPath, '--', script, 'headers'];
  const tail = ['--tokens-dir', settings.tokensDir, ...settings.envFiles.flatMap((file) => ['--env-file', file])];
  if (settings.providersDir) tail.push('--providers-dir', settings.providersDir);
  if (settings.store === 'keychain') tail.push('--store', 'keychain');
  return (server) => [...parts, '--server', server, ...tail].map(shellQuote).join(' ');
}
