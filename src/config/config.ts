import { resolveAgentCore } from './agentcore-config.js';
import { resolveEgress } from './egress-config.js';
import type { Env } from './env-files.js';
import { resolveIngress, resolveKeycloakLocation } from './ingress/index.js';
import { resolveKeycloakAdmin, type KeycloakAdminSettings } from './keycloak-admin-config.js';
import { Problems } from './problems.js';
import { resolveSettings, type ConfigSources, type Settings } from './settings.js';
import type { AgentCoreSet, EgressSet, IngressConfig, KeycloakLocation } from './types.js';

/**
 * One part of the configuration with the problems found in it. A command checks only the parts
 * it uses: `--ingress-only` does not fail on a half-written egress set.
 */
export interface Section<T> {
  value: T;
  problems: readonly string[];
  warnings: readonly string[];
}

/**
 * Everything the configuration says, resolved once per process from the command line, the
 * environment and `.env` files. No network, no token store.
 */
export interface Config {
  settings: Settings;
  ingress: Section<IngressConfig | undefined>;
  /** KEYCLOAK_URL and KEYCLOAK_REALM: where agents' tokens come from unless their files say. */
  keycloak: Section<KeycloakLocation | undefined>;
  agentcore: Section<AgentCoreSet[]>;
  egress: Section<EgressSet[]>;
  /** For the `keycloak` commands only. */
  keycloakAdmin: Section<KeycloakAdminSettings | undefined>;
  /** Every secret the configuration holds, for redaction (see `resolveConfig`). */
  secrets: ReadonlyArray<{ value: string; minLength: number }>;
}

/** The parts of the configuration resolved on first use. */
type Sections = Omit<Config, 'settings' | 'secrets'>;

/** Variables that hold the secrets mcpgw-creds uses (client secrets, the admin password). */
const OWN_SECRET = /(^|_)(CLIENT_SECRET|SECRET|PASSWORD)(_\d+)?$/;
/** Anything else named like a secret: redacted too, when long enough not to be an ordinary word. */
const LIKE_A_SECRET = /SECRET|PASSWORD/;

function section<T>(resolve: (problems: Problems) => T): Section<T> {
  const problems = new Problems();
  const value = resolve(problems);
  return { value, problems: problems.errors, warnings: problems.warnings };
}

/**
 * Resolves the configuration (flags, then the environment, then `.env`). Problems of the shared
 * settings (tokens directory, store, gateway URL, ...) throw one ConfigError at once; those of the
 * other parts wait in their section until a command uses it.
 */
export function resolveConfig(
  sources: ConfigSources,
  context: { cwd: string; processEnv: Env },
): { config: Config; warnings: readonly string[] } {
  const problems = new Problems();
  const settings = resolveSettings(sources, context, problems);
  problems.throwIfAny();
  const { env } = settings;
  // Every variable named like a secret, whether or not its section is complete or used.
  const secrets = Object.entries(env).flatMap(([name, value]) => {
    if (value === undefined || !LIKE_A_SECRET.test(name)) return [];
    const minLength = OWN_SECRET.test(name) ? 1 : 8;
    return [value, value.trim()].map((form) => ({ value: form, minLength }));
  });
  // Each section is resolved when a command first reads it: `token` and `headers` run on every MCP
  // connection and read one section, not five. The getter is then replaced by the value.
  const resolvers: { [K in keyof Sections]: (problems: Problems) => Sections[K]['value'] } = {
    ingress: (p) => resolveIngress(env, settings, p),
    keycloak: (p) => resolveKeycloakLocation(env, settings, p),
    agentcore: (p) => resolveAgentCore(env, settings, p),
    egress: (p) => resolveEgress(env, p),
    keycloakAdmin: (p) => resolveKeycloakAdmin(env, settings, p),
  };
  const config = { settings } as Config;
  for (const key of Object.keys(resolvers) as Array<keyof Sections>) {
    Object.defineProperty(config, key, {
      configurable: true,
      enumerable: true,
      get: () => {
        const value = section<unknown>(resolvers[key]);
        Object.defineProperty(config, key, { value, enumerable: true });
        return value;
      },
    });
  }
  config.secrets = secrets;
  return { config, warnings: problems.warnings };
}

/** A section's value, or one ConfigError listing its problems. */
export function checked<T>(part: Section<T>, hint?: string): T {
  const problems = new Problems();
  for (const problem of part.problems) problems.add(problem);
  problems.throwIfAny(hint);
  return part.value;
}
