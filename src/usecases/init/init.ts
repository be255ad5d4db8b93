import path from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { resolveConfig, type Config } from '../../config/config.js';
import { AUTH_PROVIDERS, type AuthProvider } from '../../config/types.js';
import { type Finding } from '../../diagnosis/findings.js';
import { ConfigError, GatewayUnavailableError, IdpUnavailableError, McpgwError, UsageError } from '../../errors.js';
import { readIngress, type StoredToken } from '../../store/token-files.js';
import type { Deps } from '../deps.js';
import { boundedGet, failureOf } from '../doctor/bounded-get.js';
import { gatewayFindings } from '../doctor/gateway.js';
import { identityProviderFindings } from '../doctor/identity-provider.js';
import { isFailed, type Outcome } from '../outcome.js';
import { planSteps } from '../plan.js';
import { runTokenSteps } from '../token-steps.js';
import { envFileText, ignoreInGit, readEnvFile, writeEnvFile } from './env-file.js';
import type { Prompter, Question } from '../../ports.js';
import { GATEWAY_QUESTION, PROVIDER_QUESTIONS } from './questions.js';

export interface InitInput {
  prompter: Prompter;
  cwd: string;
  /** Replace an existing .env without asking. */
  force: boolean;
  /** Flags over the environment: where a scripted run finds its egress sets. */
  lookup: (variable: string) => string | undefined;
  /** Every name the environment and flags set (for the scripted egress sets). */
  names: readonly string[];
  /**
   * What the flags said (--set, --auth-provider, --registry-url, --tokens-dir, --store): written to
   * .env as given, and offered as the answers' defaults on a terminal.
   */
  preset: Readonly<Record<string, string>>;
  now: Date;
}

export interface InitOutcome {
  status: 'written' | 'kept';
  file: string;
  provider?: AuthProvider;
  /** The token that proved the answers. */
  token?: { file: string; expiresAt: number };
  gatewayFindings: Finding[];
  egressProviders: string[];
  gitignore: string[];
}

const CHECK_TIMEOUT_MS = 5000;
const EGRESS_VARIABLE = /^EGRESS_[A-Z0-9_]+_\d+$/;

type Answers = Map<string, string>;

function setAnswer(answers: Answers, variable: string, value: string | undefined): void {
  if (value === undefined || value === '') answers.delete(variable);
  else answers.set(variable, value);
}

/** Asks each question in turn, an earlier answer (or a flag's) offered as its default. */
async function askInto(prompter: Prompter, answers: Answers, questions: readonly Question[]): Promise<void> {
  for (const question of questions) {
    setAnswer(
      answers,
      question.variable,
      await prompter.input({ ...question, default: answers.get(question.variable) ?? question.default }),
    );
  }
}

/**
 * The configuration the answers make, and only they: no .env, no variable of this shell, so what
 * is checked and proved is exactly what .env will hold.
 */
function configOf(deps: Pick<Deps, 'config'>, cwd: string, answers: Answers, stand?: Record<string, string>): Config {
  const processEnv = { ...Object.fromEntries(answers), ...stand };
  return resolveConfig(
    { envFiles: [], ignoreEnvFiles: true, tokensDir: deps.config.settings.tokensDir, providersDir: deps.config.settings.providersDir },
    { cwd, processEnv },
  ).config;
}

/**
 * `init`: asks for the identity provider, its location and client, the gateway, and optionally
 * egress sets; checks each answer as it goes (the provider's discovery document and issuer, the
 * gateway answering), proves them with one token, then writes .env at mode 600 (atomically; an
 * existing one only when the user agrees or --force) and keeps it and the tokens out of git.
 * Nothing is written before the end, so an interrupted run leaves no .env behind.
 */
export async function initialize(deps: Deps, input: InitInput): Promise<InitOutcome> {
  const { prompter, cwd } = input;
  const file = path.join(cwd, '.env');
  const base = { file, gatewayFindings: [], egressProviders: [], gitignore: [] };
  // A link or anything but a file is refused here, before any question (the store's rule).
  const before = await readEnvFile(file);
  if (before !== undefined) {
    const replace = input.force || (prompter.interactive && (await prompter.confirm(`Replace the .env that is here (${file})?`, false)));
    if (!replace) {
      if (!prompter.interactive)
        throw new UsageError(`${file} exists; init does not replace it unless asked`, 'pass --force to replace it');
      deps.log.info(`Left ${file} as it was; nothing written.`);
      return { status: 'kept', ...base };
    }
  }

  const answers: Answers = new Map(Object.entries(input.preset));
  const provider = await prompter.select(
    'Identity provider for the gateway (ingress) token',
    AUTH_PROVIDERS.map((value) => ({ value, name: PROVIDER_QUESTIONS[value].label })),
    'AUTH_PROVIDER',
    answers.get('AUTH_PROVIDER')?.toLowerCase(),
  );
  answers.set('AUTH_PROVIDER', provider);
  const questions = PROVIDER_QUESTIONS[provider];
  const ask = (list: readonly Question[]): Promise<void> => askInto(prompter, answers, list);
  // Stand-ins for the client while the provider's location is checked: its resolver wants both.
  const stand = { [questions.clientId.variable]: 'init-check', [questions.secretVariable]: 'init-check' };

  const checkLocation = async (): Promise<void> => {
    const config = configOf(deps, cwd, answers, stand);
    const problems = config.ingress.problems;
    if (problems.length > 0) throw new ConfigError(problems.join('; '));
    const findings = await identityProviderFindings({ ...deps, config }, CHECK_TIMEOUT_MS);
    const failed = findings.find((finding) => finding.level === 'error');
    if (failed) {
      const hint = failed.fix !== undefined ? { hint: failed.fix } : {};
      throw failed.message.startsWith('cannot reach')
        ? new IdpUnavailableError(failed.message, hint)
        : new ConfigError(failed.message, hint);
    }
    for (const finding of findings) if (finding.level === 'ok') deps.log.info(`  ✔ ${finding.message}`);
  };
  const askClient = async (): Promise<void> => {
    await ask([questions.clientId]);
    let method: string;
    if (prompter.interactive) {
      method = await prompter.select(
        'How does the client authenticate?',
        [
          { value: 'secret', name: 'a client secret' },
          { value: 'private_key_jwt', name: 'a private key (private_key_jwt; the provider has the public key or certificate)' },
        ],
        'INGRESS_CLIENT_AUTH',
      );
    } else {
      // Scripted: INGRESS_CLIENT_AUTH as given (client_secret_basic, ... or private_key_jwt), a secret by default.
      method = input.lookup('INGRESS_CLIENT_AUTH')?.toLowerCase() ?? 'secret';
    }
    if (method === 'private_key_jwt') {
      answers.set('INGRESS_CLIENT_AUTH', 'private_key_jwt');
      answers.delete(questions.secretVariable);
      await ask([{ variable: 'INGRESS_PRIVATE_KEY_FILE', message: 'Private key file (PEM or JWK, mode 600)' }]);
    } else {
      setAnswer(answers, 'INGRESS_CLIENT_AUTH', method === 'secret' ? undefined : method);
      answers.delete('INGRESS_PRIVATE_KEY_FILE');
      setAnswer(answers, questions.secretVariable, await prompter.secret('Client secret (not shown)', questions.secretVariable));
    }
    await ask(questions.extra);
  };
  const checkGateway = async (): Promise<void> => {
    const registry = configOf(deps, cwd, answers).settings.registryUrl;
    if (registry === undefined) return;
    const status = await boundedGet(deps.gatewayFetch, `${registry}/mcpgw/mcp`, CHECK_TIMEOUT_MS).then(
      (answer) => answer.status,
      (error: unknown) => {
        const fix = "check REGISTRY_URL: the gateway's base URL, reachable from here";
        throw new GatewayUnavailableError(`cannot reach the gateway at ${registry}: ${failureOf(error)}`, fix);
      },
    );
    if (status >= 500) throw new ConfigError(`${registry} answered HTTP ${status}`, { hint: 'check the URL' });
    deps.log.info(`  ✔ the gateway answers at ${registry} (HTTP ${status})`);
  };

  /**
   * Asks, checks; on a failed check (any of mcpgw-creds's own errors, a configuration one included)
   * a person may change the answers or keep them, a script stops with it.
   */
  const until = async (askIt: () => Promise<void>, check: () => Promise<void>): Promise<void> => {
    for (;;) {
      await askIt();
      prompter.complete();
      try {
        await check();
        return;
      } catch (error) {
        if (!(error instanceof McpgwError) || !prompter.interactive) throw error;
        deps.log.warn(error.hint ? `${error.message}\n  fix: ${error.hint}` : error.message);
        if (!(await prompter.confirm('Change the answers?', true))) return;
      }
    }
  };

  if (prompter.interactive) {
    await until(() => ask(questions.location), checkLocation);
    await askClient();
    await until(() => ask([GATEWAY_QUESTION]), checkGateway);
  } else {
    await ask(questions.location);
    await askClient();
    await ask([GATEWAY_QUESTION]);
    prompter.complete();
    await until(() => Promise.resolve(), checkLocation);
    await until(() => Promise.resolve(), checkGateway);
  }

  // In a git repository, .env and the tokens are ignored before the first token is written.
  const gitignore = await ignoreInGit(cwd, deps.config.settings.tokensDir).catch((error: unknown) => {
    deps.log.warn(
      `.gitignore not updated: ${error instanceof Error ? error.message : String(error)}; add .env and the tokens folder to it`,
    );
    return [];
  });

  // One token proves the provider, the client and its secret or key together. Only the ingress
  // step runs: no client configuration is rendered or rewritten before .env exists.
  let token: InitOutcome['token'];
  let proving: Deps;
  let stored: StoredToken | undefined;
  for (;;) {
    proving = { ...deps, config: configOf(deps, cwd, answers) };
    const plan = await planSteps(proving, { steps: new Set(['ingress']), only: 'ingress' });
    const outcomes: Outcome[] = [];
    await runTokenSteps(
      proving,
      plan,
      { force: true, marginSeconds: 0, signIn: false, openBrowser: false, device: 'off', browserTimeoutMs: 0, progress: true },
      (outcome) => outcomes.push(outcome),
    );
    const failure = outcomes.find(isFailed);
    if (!failure) {
      stored = await readIngress(deps.store);
      if (stored) token = { file: path.join(deps.store.dir, stored.file), expiresAt: stored.record.expires_at };
      break;
    }
    if (!prompter.interactive) throw failure.error;
    const error = failure.error instanceof Error ? failure.error : new Error(String(failure.error));
    const hint = failure.error instanceof McpgwError ? failure.error.hint : undefined;
    deps.log.warn(`no token: ${error.message}${hint ? `\n  fix: ${hint}` : ''}`);
    if (!(await prompter.confirm('Change the client and try again?', true))) {
      deps.log.info('Nothing written.');
      throw failure.error;
    }
    await askClient();
  }

  let found: Finding[];
  let egressProviders: string[];
  try {
    found = await gatewayFindings(proving, stored, CHECK_TIMEOUT_MS);
    egressProviders = prompter.interactive ? await askEgress(deps, prompter, answers) : scriptedEgress(input, answers);
  } catch (error) {
    // Interrupted after the token: say what is on disk.
    if (error instanceof Error && token) Object.assign(error, { written: [token.file] });
    throw error;
  }

  const groups = [
    { title: 'The gateway', values: [['REGISTRY_URL', answers.get('REGISTRY_URL') ?? '']] as Array<readonly [string, string]> },
    {
      title: `Ingress: ${questions.label}`,
      values: [...answers].filter(([name]) => name !== 'REGISTRY_URL' && !EGRESS_VARIABLE.test(name) && !name.startsWith('MCPGW_')),
    },
    { title: 'mcpgw-creds', values: [...answers].filter(([name]) => name.startsWith('MCPGW_')) },
    { title: 'Egress sign-in sets', values: [...answers].filter(([name]) => EGRESS_VARIABLE.test(name)) },
  ];
  await writeEnvFile(file, envFileText(groups, input.now));
  if (before !== undefined) {
    const dropped = Object.keys(parseEnv(before)).filter((name) => !answers.has(name));
    if (dropped.length > 0) deps.log.warn(`the .env replaced also set ${dropped.join(', ')}, which the new one does not`);
  }
  return { status: 'written', file, provider, ...(token ? { token } : {}), gatewayFindings: found, egressProviders, gitignore };
}

/** Egress sets, asked of a person: providers from the catalogue, each with its client. */
async function askEgress(deps: Pick<Deps, 'providers'>, prompter: Prompter, answers: Answers): Promise<string[]> {
  if (!(await prompter.confirm('Add egress sign-ins (an MCP server acting for you at Atlassian, GitHub, ...)?', false))) return [];
  const catalogue = await deps.providers();
  const chosen = await prompter.checkbox(
    'Which providers? (space selects, enter confirms)',
    catalogue.names().map((name) => ({ value: name, name: catalogue.get(name)?.display_name ?? name })),
  );
  for (const [index, provider] of chosen.entries()) {
    const n = index + 1;
    answers.set(`EGRESS_PROVIDER_NAME_${n}`, provider);
    await askInto(prompter, answers, [{ variable: `EGRESS_OAUTH_CLIENT_ID_${n}`, message: `${provider}: OAuth client id` }]);
    const secret = `EGRESS_OAUTH_CLIENT_SECRET_${n}`;
    setAnswer(answers, secret, await prompter.secret(`${provider}: client secret (not shown)`, secret));
    const redirect = `http://localhost:${9999 - index}/callback`;
    await askInto(prompter, answers, [
      { variable: `EGRESS_OAUTH_REDIRECT_URI_${n}`, message: `${provider}: redirect URI registered for the client`, default: redirect },
    ]);
  }
  return chosen;
}

/** Egress sets of a scripted run: the EGRESS_*_N variables its environment and flags set, as they are. */
function scriptedEgress(input: InitInput, answers: Answers): string[] {
  for (const name of input.names.filter((variable) => EGRESS_VARIABLE.test(variable))) setAnswer(answers, name, input.lookup(name));
  return [...answers].filter(([name]) => /^EGRESS_PROVIDER_NAME_\d+$/.test(name)).map(([, value]) => value);
}
