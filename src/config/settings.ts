import path from 'node:path';
import { getVar, loadEnv, type Env } from './env-files.js';
import { checkName, splitList } from './names.js';
import type { Problems } from './problems.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from './urls.js';

const DEFAULT_TOKENS_DIR = '.oauth-tokens';
const DEFAULT_HTTP_TIMEOUT_SECONDS = 30;
/** Token requests at once (agents, AgentCore sets): enough to hide each one's latency, few enough for any provider's rate limits. */
const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;

/** What the command line says about where configuration and tokens are (its strongest source). */
export interface ConfigSources {
  /** --env-file, in order; empty: `./.env` when present. */
  envFiles: readonly string[];
  /** No .env file at all, not even `./.env` (init checks its answers alone). */
  ignoreEnvFiles?: boolean;
  tokensDir?: string | undefined;
  providersDir?: string | undefined;
  store?: string | undefined;
  /** --concurrency. */
  concurrency?: string | undefined;
}

/** What every command needs: where things are and the rules for URLs. No step-specific settings. */
export interface Settings extends UrlRules {
  cwd: string;
  env: Env;
  envFiles: string[];
  /** The `.env` file each variable read from one came from. */
  envFileOf: Readonly<Record<string, string>>;
  /** Absolute path of the tokens directory. */
  tokensDir: string;
  /** Absolute path of the extra provider definitions, when given. */
  providersDir: string | undefined;
  /** Budget for one identity-provider request, retries included. */
  httpTimeoutMs: number;
  /** How many client-credentials requests (agents, AgentCore sets) may run at once. */
  concurrency: number;
  /** Where access and refresh tokens live: files (mode 600), or the OS keychain. */
  store: 'file' | 'keychain';
  /** REGISTRY_URL without a trailing slash. */
  registryUrl: string | undefined;
  mcpServers: string[];
  /** `auto` in MCP_SERVERS: also the servers the gateway lists at /.well-known/mcp-servers. */
  listedServers: boolean;
}

/**
 * Resolves the shared settings: flags, then the environment, then `.env`. Problems go to
 * `problems`; the caller throws once it has collected the step-specific ones too.
 */
export function resolveSettings(flags: ConfigSources, context: { cwd: string; processEnv: Env }, problems: Problems): Settings {
  const { env, files, origins } = loadEnv({
    cwd: context.cwd,
    envFiles: flags.envFiles,
    processEnv: context.processEnv,
    ignoreFiles: flags.ignoreEnvFiles === true,
  });
  const insecure = getVar(env, 'MCPGW_ALLOW_INSECURE_HTTP');
  if (insecure !== undefined && insecure !== '1' && insecure !== '0') {
    problems.add(`MCPGW_ALLOW_INSECURE_HTTP is "${insecure}": set it to 1 to allow plain http://, or remove it`);
  }
  const rules: UrlRules = { allowInsecureHttp: insecure === '1' };

  const tokensDir = flags.tokensDir ?? getVar(env, 'MCPGW_TOKENS_DIR') ?? DEFAULT_TOKENS_DIR;
  const providersDir = flags.providersDir ?? getVar(env, 'MCPGW_PROVIDERS_DIR');

  let httpTimeoutMs = DEFAULT_HTTP_TIMEOUT_SECONDS * 1000;
  const timeoutRaw = getVar(env, 'MCPGW_HTTP_TIMEOUT');
  if (timeoutRaw !== undefined) {
    const seconds = Number(timeoutRaw);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      problems.add(`MCPGW_HTTP_TIMEOUT is "${timeoutRaw}": give a number of seconds between 0 and 600`);
    } else {
      httpTimeoutMs = Math.round(seconds * 1000);
    }
  }

  let concurrency = DEFAULT_CONCURRENCY;
  const concurrencyRaw = flags.concurrency ?? getVar(env, 'MCPGW_CONCURRENCY');
  if (concurrencyRaw !== undefined) {
    const value = Number(concurrencyRaw);
    if (!/^\d+$/.test(concurrencyRaw) || value < 1 || value > MAX_CONCURRENCY) {
      const name = flags.concurrency !== undefined ? '--concurrency' : 'MCPGW_CONCURRENCY';
      problems.add(`${name} is "${concurrencyRaw}": give a whole number from 1 to ${MAX_CONCURRENCY}`);
    } else {
      concurrency = value;
    }
  }

  const storeRaw = (flags.store ?? getVar(env, 'MCPGW_STORE') ?? 'file').toLowerCase();
  if (storeRaw !== 'file' && storeRaw !== 'keychain') {
    problems.add(`${flags.store !== undefined ? '--store' : 'MCPGW_STORE'} is "${storeRaw}": use file or keychain`);
  }
  const store = storeRaw === 'keychain' ? 'keychain' : 'file';

  let registryUrl: string | undefined;
  const registryRaw = getVar(env, 'REGISTRY_URL');
  if (registryRaw !== undefined) {
    const url = checkServiceUrl(registryRaw, 'REGISTRY_URL', rules, problems);
    if (url) registryUrl = baseUrlText(url);
  }
  const mcpServers: string[] = [];
  let listedServers = false;
  for (const name of splitList(getVar(env, 'MCP_SERVERS'))) {
    if (name.toLowerCase() === 'auto') {
      listedServers = true;
      continue;
    }
    const checked = checkName(name, 'an MCP_SERVERS entry', problems);
    if (checked && !mcpServers.includes(checked)) mcpServers.push(checked);
  }

  return {
    ...rules,
    cwd: context.cwd,
    env,
    envFiles: files,
    envFileOf: origins,
    tokensDir: path.resolve(context.cwd, tokensDir),
    providersDir: providersDir === undefined ? undefined : path.resolve(context.cwd, providersDir),
    httpTimeoutMs,
    concurrency,
    store,
    registryUrl,
    mcpServers,
    listedServers,
  };
}
