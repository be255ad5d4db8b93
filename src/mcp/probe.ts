import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** An HTTP answer of the gateway that ended the probe: a refusal, a missing server, a failure. */
export class GatewayAnswerError extends Error {
  readonly status: number;
  /** The JSON-RPC method that was refused, and the tool of a tools/call. */
  readonly method: string;
  readonly tool: string | undefined;
  /** The start of the answer's body, as text. */
  readonly body: string;
  constructor(status: number, method: string, tool: string | undefined, body: string) {
    super(`HTTP ${status} to ${method}${tool ? ` (${tool})` : ''}`);
    this.name = 'GatewayAnswerError';
    this.status = status;
    this.method = method;
    this.tool = tool;
    this.body = body;
  }
}

/** The gateway could not be reached, or did not answer in time. */
export class GatewayUnreachableError extends Error {
  readonly method: string;
  constructor(message: string, method: string) {
    super(message);
    this.name = 'GatewayUnreachableError';
    this.method = method;
  }
}

export interface ProbeResult {
  serverInfo: { name: string; version: string } | undefined;
  tools: Array<{ name: string; description?: string | undefined }>;
  call?: { tool: string; isError: boolean; content: unknown[]; structuredContent?: unknown };
}

const BODY_LIMIT = 2048;

/** The JSON-RPC method (and tool) of a request body, for naming what was refused. */
function methodOf(init: RequestInit | undefined): { method: string; tool: string | undefined } {
  if (typeof init?.body !== 'string') return { method: init?.method === 'DELETE' ? 'session end' : 'event stream', tool: undefined };
  try {
    const message = JSON.parse(init.body) as { method?: unknown; params?: { name?: unknown } };
    return {
      method: typeof message.method === 'string' ? message.method : 'a response',
      tool: typeof message.params?.name === 'string' ? message.params.name : undefined,
    };
  } catch {
    return { method: 'a request', tool: undefined };
  }
}

/**
 * An MCP client session with a gateway server (@modelcontextprotocol/sdk over Streamable HTTP):
 * `initialize`, `tools/list`, and `tools/call` when asked. `fetch` adds the credentials. An HTTP
 * answer other than success ends it with a GatewayAnswerError naming the refused method; a network
 * failure or a timeout, with a GatewayUnreachableError.
 */
export async function probe(options: {
  url: URL;
  fetch: typeof fetch;
  call?: { tool: string; args: Record<string, unknown> } | undefined;
  timeoutMs: number;
}): Promise<ProbeResult> {
  let failure: GatewayAnswerError | GatewayUnreachableError | undefined;
  let current = 'initialize';
  const watched: typeof fetch = async (input, init) => {
    const { method, tool } = methodOf(init);
    if (init?.method === 'POST') current = method;
    let response: Response;
    try {
      response = await options.fetch(input, init);
    } catch (error) {
      failure ??= new GatewayUnreachableError(error instanceof Error ? error.message : String(error), method);
      throw error;
    }
    if (!response.ok && response.status !== 405) {
      const body = (
        await response
          .clone()
          .text()
          .catch(() => '')
      ).slice(0, BODY_LIMIT);
      failure ??= new GatewayAnswerError(response.status, method, tool, body);
    }
    return response;
  };
  const client = new Client({ name: 'mcpgw-creds-test', version: '1' });
  const transport = new StreamableHTTPClientTransport(options.url, { fetch: watched });
  const request = { timeout: options.timeoutMs };
  try {
    await client.connect(transport, request);
    const { tools } = await client.listTools(undefined, request);
    const result: ProbeResult = {
      serverInfo: client.getServerVersion(),
      tools: tools.map((tool) => ({ name: tool.name, description: tool.description })),
    };
    if (options.call) {
      const answer = await client.callTool({ name: options.call.tool, arguments: options.call.args }, undefined, request);
      result.call = {
        tool: options.call.tool,
        isError: answer.isError === true,
        content: Array.isArray(answer.content) ? answer.content : [],
        ...(answer.structuredContent !== undefined ? { structuredContent: answer.structuredContent } : {}),
      };
    }
    return result;
  } catch (error) {
    if (failure) throw failure;
    if (error instanceof Error && /timed out|timeout/i.test(error.message)) {
      throw new GatewayUnreachableError(`no answer to ${current} within ${options.timeoutMs / 1000} s`, current);
    }
    throw error;
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
