import type { AgentState } from '../../keycloak/admin.js';
import type { AgentWritten } from '../../usecases/agents-admin.js';
import type { Io } from '../io.js';
import { displayPath } from './format.js';

/** `keycloak create-agent`, `rotate-secret`, `delete-agent`: a line for people, or `--json`. */
export function printAgentChange(
  io: Io,
  change:
    | { action: 'created'; result: AgentWritten & { created: boolean; groups: string[] } }
    | { action: 'rotated'; result: AgentWritten }
    | { action: 'deleted'; result: { agentId: string; clientId: string; realm: string; deleted: boolean } },
  options: { cwd: string; json: boolean },
): void {
  const { paint } = io;
  const label = paint.bold(`agent ${change.result.agentId}`);
  if (change.action === 'created') {
    const { result } = change;
    io.info(
      `${paint.ok('✔')} ${label}: ${result.created ? 'created' : 'updated'} the client ${result.clientId} in the realm ${result.realm}; ` +
        `its service account is in ${result.groups.join(', ')} → ${displayPath(result.file, options.cwd)}`,
    );
    io.info(`  next: mcpgw-creds --agents-only gets its token`);
    if (options.json)
      io.out(
        JSON.stringify(
          { agent_id: result.agentId, client_id: result.clientId, created: result.created, groups: result.groups, file: result.file },
          null,
          2,
        ) + '\n',
      );
  } else if (change.action === 'rotated') {
    const { result } = change;
    io.info(`${paint.ok('✔')} ${label}: new client secret → ${displayPath(result.file, options.cwd)}; the old one no longer works`);
    if (options.json) io.out(JSON.stringify({ agent_id: result.agentId, client_id: result.clientId, file: result.file }, null, 2) + '\n');
  } else {
    const { result } = change;
    const what = result.deleted
      ? `deleted the client ${result.clientId}`
      : `no client ${result.clientId} in the realm ${result.realm} (already gone)`;
    io.info(`${paint.ok('✔')} ${label}: ${what}; removed its local files`);
    if (options.json)
      io.out(JSON.stringify({ agent_id: result.agentId, client_id: result.clientId, deleted: result.deleted }, null, 2) + '\n');
  }
}

/** `keycloak list-agents`: a table, or `--json`. */
export function printAgentList(
  io: Io,
  listing: { realm: string; agents: Array<AgentState & { localFile: string | undefined }> },
  options: { json: boolean },
): void {
  const agents = listing.agents.map((agent) => ({
    agent_id: agent.agentId,
    client_id: agent.clientId,
    enabled: agent.enabled,
    groups: agent.groups,
    local_file: agent.localFile ?? null,
  }));
  if (options.json) {
    io.out(JSON.stringify({ realm: listing.realm, agents }, null, 2) + '\n');
    return;
  }
  if (agents.length === 0) {
    io.info(`no agent clients (agent-*-m2m) in the realm ${listing.realm}`);
    return;
  }
  const rows = [
    ['AGENT', 'CLIENT', 'ENABLED', 'GROUPS', 'LOCAL FILE'],
    ...agents.map((a) => [a.agent_id, a.client_id, a.enabled ? 'yes' : 'no', a.groups.join(',') || '-', a.local_file ? 'yes' : 'no']),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  io.out(
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n',
  );
}
