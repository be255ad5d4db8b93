import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isInitializeRequest, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface ForwardOptions {
  stdin: Readable;
  stdout: Writable;
  /** The MCP endpoint to forward to (Streamable HTTP). */
  url: URL;
  /** The HTTP transport towards it; it adds the credentials. */
  fetch: typeof fetch;
  /** The JSON-RPC error message for a request that could not be forwarded. */
  describe: (error: unknown) => string;
  log: { warn(message: string): void; detail(message: string): void };
}

/** JSON-RPC "server error" range: the bridge could not forward the request. */
const FORWARD_FAILED = -32000;

/**
 * Forwards MCP between a stdio client and a Streamable HTTP server, message by message, with
 * @modelcontextprotocol/sdk's own transports: every JSON-RPC message from stdin is posted as it
 * is (methods it does not know included), the session id and server-sent event streams are the
 * SDK transport's, and every message from the server goes to stdout. The protocol version the
 * server chose is sent on later requests, as the SDK client would. Resolves when stdin ends, after
 * ending the session.
 */
export async function forward(options: ForwardOptions): Promise<void> {
  const down = new StdioServerTransport(options.stdin, options.stdout);
  const up = new StreamableHTTPClientTransport(options.url, { fetch: options.fetch });
  const initializing = new Set<string | number>();

  const answerError = (message: JSONRPCMessage, error: unknown): void => {
    if (isJSONRPCRequest(message)) {
      void down.send({ jsonrpc: '2.0', id: message.id, error: { code: FORWARD_FAILED, message: options.describe(error) } });
    } else {
      options.log.warn(`a message to the gateway was lost: ${options.describe(error)}`);
    }
  };
  down.onmessage = (message) => {
    if (isJSONRPCRequest(message) && isInitializeRequest(message)) initializing.add(message.id);
    up.send(message).catch((error: unknown) => answerError(message, error));
  };
  down.onerror = (error) => options.log.warn(`a message from the client could not be read: ${error.message}`);
  up.onmessage = (message) => {
    if (isJSONRPCResultResponse(message) && initializing.delete(message.id)) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') up.setProtocolVersion(version);
    }
    void down.send(message);
  };
  up.onerror = (error) => options.log.detail(`gateway: ${error.message}`);

  const ended = new Promise<void>((resolve) => {
    options.stdin.once('end', resolve);
    options.stdin.once('close', resolve);
  });
  await up.start();
  await down.start();
  await ended;
  if (up.sessionId) await up.terminateSession().catch(() => undefined);
  await up.close();
  await down.close();
}
