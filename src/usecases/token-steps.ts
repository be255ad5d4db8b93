import type { AuthProvider, ClientCredentialsClient } from '../config/types.js';
import { McpgwError } from '../errors.js';
import type { ClientCredentialsDeps, ClientCredentialsTarget } from '../flows/client-credentials-flow.js';
import type { EgressOptions } from '../flows/egress.js';
import type { Deps } from './deps.js';
import type { FailedOutcome, Outcome, OutcomeSink, TokenOutcome, TokenStep } from './outcome.js';
import type { Plan } from './plan.js';

const PROVIDER_NAMES: Record<AuthProvider, string> = {
  keycloak: 'Keycloak',
  cognito: 'Cognito',
  entra: 'Entra ID',
  okta: 'Okta',
  auth0: 'Auth0',
  pingfederate: 'PingFederate',
  oidc: 'OpenID provider',
};

export interface StepOptions extends Omit<EgressOptions, 'httpTimeoutMs'> {
  /** Show a spinner while a step waits (not for the watcher's log). */
  progress: boolean;
}

/** What the refresh-only paths (`token`, `headers`, `refresh`, the watcher) allow: never a sign-in. */
export function renewOnly(marginSeconds: number, force = false): StepOptions {
  return { force, marginSeconds, signIn: false, openBrowser: false, device: 'off', browserTimeoutMs: 0, progress: false };
}

function failed(deps: Pick<Deps, 'log'>, step: TokenStep, name: string | undefined, error: unknown): FailedOutcome {
  if (!(error instanceof McpgwError)) deps.log.detail(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { step, ...(name ? { name } : {}), status: 'failed', error };
}

/**
 * Runs `steps` with at most `limit` at once, and hands each outcome to `sink` in the steps' own
 * order, each as soon as it and every step before it are done: the report reads the same whatever
 * finished first.
 */
export async function inOrder(steps: ReadonlyArray<() => Promise<Outcome>>, limit: number, sink: OutcomeSink): Promise<void> {
  const done: Array<Outcome | undefined> = new Array<Outcome | undefined>(steps.length);
  let next = 0;
  let flushed = 0;
  const worker = async (): Promise<void> => {
    while (next < steps.length) {
      const index = next++;
      done[index] = await (steps[index] as () => Promise<Outcome>)();
      for (; flushed < steps.length && done[flushed] !== undefined; flushed++) sink(done[flushed] as Outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), steps.length) }, worker));
}

/**
 * Runs the planned token steps: ingress, agents and AgentCore sets at once (at most
 * `settings.concurrency` requests), then egress one set after another (each may need the browser).
 * A failing step does not stop the others; outcomes go to `sink` in the plan's order. Each stack loads only when
 * its step has something to do: a cached ingress run needs no browser code.
 */
export async function runTokenSteps(deps: Deps, plan: Plan, options: StepOptions, sink: OutcomeSink): Promise<void> {
  const { settings } = deps.config;
  const { obtainClientCredentialsToken } = await import('../flows/client-credentials-flow.js');
  const clientDeps = (what: string): ClientCredentialsDeps => ({
    store: deps.store,
    clock: deps.clock,
    // The OAuth stack loads only when a token is requested: a cached run never needs it.
    request: async (client: ClientCredentialsClient) =>
      (await import('../oauth/client-credentials.js')).requestClientCredentials(client, {
        fetch: deps.fetch,
        timeoutMs: settings.httpTimeoutMs,
        what,
        log: (line) => deps.log.detail(line),
        allowInsecureHttp: settings.allowInsecureHttp,
        checkKeyMode: deps.system.platform !== 'win32',
      }),
  });
  const tokenOptions = { force: options.force, marginSeconds: options.marginSeconds };
  // Each step locks only its own file, so steps at once never wait for each other.
  const clientStep = async (step: TokenStep, name: string | undefined, what: string, target: ClientCredentialsTarget): Promise<Outcome> => {
    try {
      const obtained = await obtainClientCredentialsToken(clientDeps(what), target, tokenOptions);
      return { step, ...(name ? { name } : {}), status: obtained.status, file: obtained.file, record: obtained.record };
    } catch (error) {
      return failed(deps, step, name, error);
    }
  };

  if (plan.ingress || plan.agents.length > 0 || plan.agentcore.length > 0) {
    const targets = await import('../flows/client-credentials-targets.js');
    const steps: Array<() => Promise<Outcome>> = [];
    if (plan.ingress) {
      const ingress = plan.ingress;
      const what = `the ${PROVIDER_NAMES[ingress.provider]} token endpoint`;
      steps.push(() => clientStep('ingress', ingress.provider, what, targets.ingressTarget(ingress)));
    }
    for (const agent of plan.agents) {
      const what = `the Keycloak token endpoint for agent ${agent.id}`;
      steps.push(() => clientStep('agents', agent.id, what, targets.agentTarget(agent)));
    }
    for (const set of plan.agentcore) {
      const what = `the AgentCore token endpoint of set ${set.index}`;
      steps.push(() => clientStep('agentcore', set.server, what, targets.agentCoreTarget(set)));
    }
    const label =
      steps.length === 1 && plan.ingress
        ? `ingress: requesting a token from the ${PROVIDER_NAMES[plan.ingress.provider]} token endpoint`
        : `client credentials: up to ${steps.length} tokens, ${Math.min(steps.length, settings.concurrency)} at a time`;
    const progress = options.progress ? deps.log.progress(label) : undefined;
    try {
      await inOrder(steps, settings.concurrency, sink);
    } finally {
      progress?.stop();
    }
  }
  if (plan.egress.length === 0) return;
  const { obtainEgressToken } = await import('../flows/egress.js');
  // One set after another: each has its own listener and its own browser tab.
  for (const { set, provider } of plan.egress) {
    try {
      const obtained = await obtainEgressToken(deps, set, provider, { ...options, httpTimeoutMs: settings.httpTimeoutMs });
      const outcome: TokenOutcome = {
        step: 'egress',
        name: set.server,
        status: obtained.status,
        via: obtained.via,
        file: obtained.file,
        record: obtained.record,
      };
      sink(outcome);
    } catch (error) {
      sink(failed(deps, 'egress', set.server, error));
    }
  }
}
