import type { ProbeOutcome } from '../../usecases/probe-server.js';
import type { Io } from '../io.js';

/** A content block of a tool result as text: its text, else the block as JSON. */
function asText(block: unknown): string {
  const typed = block as { type?: unknown; text?: unknown };
  return typed.type === 'text' && typeof typed.text === 'string' ? typed.text : JSON.stringify(block);
}

/** `test`: the tool names (or the call's result) on stdout, what happened on stderr; or one JSON object. */
export function printProbe(io: Io, outcome: ProbeOutcome, options: { json: boolean }): void {
  if (options.json) {
    io.out(`${JSON.stringify({ ok: !outcome.call?.isError, ...outcome }, null, 2)}\n`);
    return;
  }
  const server = outcome.serverInfo ? `${outcome.serverInfo.name} ${outcome.serverInfo.version}` : 'the server';
  io.info(
    `${io.paint.ok('✔')} ${outcome.server}: connected to ${server} at ${outcome.url} (headers ${outcome.headers.join(', ')}); ${outcome.tools.length} tool${outcome.tools.length === 1 ? '' : 's'}`,
  );
  if (!outcome.call) {
    io.out(outcome.tools.map((tool) => `${tool.name}\n`).join(''));
    return;
  }
  io.info(`${outcome.call.isError ? io.paint.bad('✖') : io.paint.ok('✔')} tools/call ${outcome.call.tool}`);
  const text = outcome.call.content.map(asText).join('\n');
  io.out(text.endsWith('\n') || text === '' ? text : `${text}\n`);
}
