import { readFile } from 'node:fs/promises';
import { groupAccess, type GroupAccess } from '../diagnosis/access.js';
import { explainRefusal } from '../diagnosis/denial.js';
import { parseScopesFile, ScopesFileError, type ScopesFile } from '../diagnosis/scopes-file.js';
import { expectedIssuer, tokenFacts } from '../diagnosis/token-facts.js';
import { ConfigError, FlowError, GatewayRefusedError, GatewayUnavailableError } from '../errors.js';
import { epochSeconds } from '../flows/freshness.js';
import type { ProbeResult } from '../mcp/probe.js';
import { findServerToken, readIngress } from '../store/token-files.js';
import type { Deps } from './deps.js';
import { serverCredentials } from './fresh-credentials.js';
import { gatewayEndpoint } from './gateway-endpoint.js';

export interface ProbeInput {
  server: string;
  call?: { tool: string; args: Record<string, unknown> } | undefined;
  /** The gateway's scopes.yml, to explain a 403 exactly. */
  scopesFile?: string | undefined;
}

export interface ProbeOutcome extends ProbeResult {
  server: string;
  url: string;
  /** The names of the headers sent (never their values). */
  headers: string[];
}

/** A scopes file read and checked: a ConfigError names the file and what is wrong. */
export async function readScopesFile(file: string): Promise<ScopesFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`--scopes-file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "give the path of the gateway's scopes.yml",
    });
  }
  const { parseYaml: parse } = await import('../yaml.js');
  try {
    return parseScopesFile(text, (source) => parse(source) as unknown);
  } catch (error) {
    if (error instanceof ScopesFileError) {
      throw new ConfigError(`--scopes-file ${file} ${error.message}`, {
        hint: "give the gateway's scopes.yml (group_mappings, then one list of {server, methods, tools} per scope)",
      });
    }
    throw error;
  }
}

/**
 * `test`: an MCP session with a gateway server, as a client would have it, with the current fresh
 * headers: initialize, tools/list, and tools/call when asked. A refusal (401, 403) is explained from
 * what was sent and what the token holds (and the gateway's scopes.yml, when given): exit 3; an
 * unreachable or failing gateway: exit 4.
 */
export async function probeServer(deps: Deps, input: ProbeInput): Promise<ProbeOutcome> {
  const url = gatewayEndpoint(deps, input.server);
  const scopes = input.scopesFile === undefined ? undefined : await readScopesFile(input.scopesFile);
  const { headers } = await serverCredentials(deps, input.server);
  return probeWithHeaders(deps, { ...input, url, headers, scopes, timeoutMs: deps.config.settings.httpTimeoutMs });
}

/** The session of `test` with the headers given (`doctor` passes the stored ones, renewing nothing). */
export async function probeWithHeaders(
  deps: Deps,
  input: ProbeInput & { url: URL; headers: Record<string, string>; scopes: ScopesFile | undefined; timeoutMs: number },
): Promise<ProbeOutcome> {
  const { url, headers, scopes } = input;
  const sent = Object.keys(headers);
  const withHeaders: typeof fetch = (target, init) => {
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return deps.gatewayFetch(target, { ...init, headers: merged });
  };
  const { probe, GatewayAnswerError, GatewayUnreachableError } = await import('../mcp/probe.js');
  try {
    const result = await probe({ url, fetch: withHeaders, call: input.call, timeoutMs: input.timeoutMs });
    return { ...result, server: input.server, url: url.href, headers: sent };
  } catch (error) {
    if (error instanceof GatewayUnreachableError) {
      throw new GatewayUnavailableError(
        `cannot reach the gateway at ${url.href} (${error.method}): ${error.message}`,
        'check REGISTRY_URL and that the gateway is running and reachable from here',
      );
    }
    if (!(error instanceof GatewayAnswerError)) {
      throw new FlowError(
        'mcp_error',
        `${input.server} answered with an MCP error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (error.status >= 500) {
      throw new GatewayUnavailableError(
        `the gateway answered ${error.method} on ${input.server} with HTTP ${error.status}`,
        'the gateway or the server behind it has a problem; try again later, or look at its logs',
      );
    }
    if (error.status === 404) {
      throw new FlowError(
        'no_such_server',
        `the gateway has no server ${input.server} at ${url.href} (HTTP 404)`,
        'check the server name (--server) and REGISTRY_URL',
      );
    }
    if (error.status !== 401 && error.status !== 403) {
      throw new FlowError(
        'gateway_error',
        `the gateway answered ${error.method} on ${input.server} with HTTP ${error.status}: ${error.body.slice(0, 200)}`,
      );
    }
    throw await refusalError(deps, input, { status: error.status, method: error.method, tool: error.tool, sent, access: scopes });
  }
}

async function refusalError(
  deps: Deps,
  input: ProbeInput,
  seen: {
    status: number;
    method: string;
    tool: string | undefined;
    sent: string[];
    access: ScopesFile | undefined;
  },
): Promise<GatewayRefusedError> {
  const now = epochSeconds(deps.clock);
  const [ingress, egress] = await Promise.all([readIngress(deps.store), findServerToken(deps.store, input.server)]);
  const facts = ingress ? tokenFacts(ingress.record, now) : undefined;
  const configured = deps.config.ingress.value;
  const egressSet = deps.config.egress.value.find((set) => set.server === input.server);
  let access: GroupAccess | undefined;
  if (seen.access && facts?.groups) access = groupAccess(seen.access, facts.groups.groups);
  const explanation = explainRefusal({
    status: seen.status,
    server: input.server,
    method: seen.method,
    tool: seen.tool,
    headersSent: seen.sent,
    ingress: facts,
    expectedIssuer: expectedIssuer(configured),
    egress: {
      expected: egress !== undefined || egressSet !== undefined,
      sent: seen.sent.includes('Authorization'),
      provider: egressSet?.provider ?? egress?.record.provider,
    },
    access,
    nowSeconds: now,
  });
  const what = seen.method === 'tools/call' && seen.tool ? `tools/call of ${seen.tool}` : seen.method;
  return new GatewayRefusedError(
    seen.status,
    `the gateway refused ${what} on ${input.server} (HTTP ${seen.status}): ${explanation.cause}`,
    {
      hint: explanation.fix,
      facts: explanation.facts,
    },
  );
}
