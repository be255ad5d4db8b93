import type { Readable, Writable } from 'node:stream';
import { McpgwError } from '../errors.js';
import { epochSeconds } from '../flows/freshness.js';
import type { Deps } from './deps.js';
import { serverCredentials, type ServerCredentials } from './fresh-credentials.js';
import { gatewayEndpoint } from './gateway-endpoint.js';

export interface BridgeInput {
  server: string;
  /** The MCP endpoint; default `{REGISTRY_URL}/{server}/mcp`. */
  url: string | undefined;
  stdin: Readable;
  stdout: Writable;
}

/**
 * A stdio MCP server for clients that cannot send headers or refresh them: every message goes to the
 * gateway server's Streamable HTTP endpoint with headers fresh at that moment (kept in memory until
 * one of their tokens is due, then renewed; never a sign-in). A 401 from the gateway renews the
 * tokens once and retries. When no usable token can be had, each request is answered with a
 * JSON-RPC error that says which command to run. Ends when stdin does.
 */
export async function bridge(deps: Deps, input: BridgeInput): Promise<void> {
  const url = gatewayEndpoint(deps, input.server, input.url);
  let kept: ServerCredentials | undefined;
  const headers = async (force: boolean): Promise<Record<string, string>> => {
    if (!force && kept && epochSeconds(deps.clock) < kept.freshUntil) return kept.headers;
    kept = await serverCredentials(deps, input.server, { force });
    return kept.headers;
  };
  const withCredentials = (init: RequestInit | undefined, credentials: Record<string, string>): RequestInit => {
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(credentials)) merged.set(name, value);
    return { ...init, headers: merged };
  };
  const gatewayFetch: typeof fetch = async (target, init) => {
    const response = await deps.gatewayFetch(target, withCredentials(init, await headers(false)));
    if (response.status !== 401) return response;
    // The gateway refused tokens this process thought fresh (revoked, or renewed elsewhere): once more, renewed.
    await response.body?.cancel().catch(() => undefined);
    deps.log.detail(`${input.server}: the gateway answered 401; renewing the tokens and retrying once`);
    return deps.gatewayFetch(target, withCredentials(init, await headers(true)));
  };
  const { forward } = await import('../mcp/forwarder.js');
  deps.log.detail(`bridge: stdio ↔ ${url.href}`);
  await forward({
    stdin: input.stdin,
    stdout: input.stdout,
    url,
    fetch: gatewayFetch,
    log: deps.log,
    describe: (error) =>
      error instanceof McpgwError
        ? `mcpgw-creds has no usable token for the server ${input.server}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`
        : `mcpgw-creds could not reach the gateway for ${input.server}: ${error instanceof Error ? error.message : String(error)}`,
  });
}
