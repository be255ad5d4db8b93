import { checkAgentId, createAgent, deleteAgent, listAgents, rotateAgentSecret } from '../../usecases/agents-admin.js';
import type { Command, CommonFlags } from '../command.js';
import { printAgentChange, printAgentList } from '../report/agents.js';

export interface KeycloakFlags extends CommonFlags {
  agentId?: string;
  group?: string[];
}

interface AgentInput {
  agentId: string | undefined;
  groups: string[];
  json: boolean;
}

/** The commands that name an agent: its id checked before anything is read. */
const parseAgent = (flags: KeycloakFlags): AgentInput => ({
  agentId: checkAgentId(flags.agentId),
  groups: flags.group ?? [],
  json: flags.json === true,
});

// Agent files hold a client secret, never a token: they are plain files (mode 600) whatever --store
// says, so these commands need no keychain.
const storage = 'files' as const;

/** `keycloak create-agent --agent-id ID [--group NAME ...]`. */
export const createAgentCommand: Command<KeycloakFlags, AgentInput> = {
  parse: parseAgent,
  storage,
  async run(cli, input) {
    printAgentChange(cli.io, { action: 'created', result: await createAgent(cli.deps, input) }, { cwd: cli.cwd, json: input.json });
    return 0;
  },
};

/** `keycloak rotate-secret --agent-id ID`. */
export const rotateSecretCommand: Command<KeycloakFlags, AgentInput> = {
  parse: parseAgent,
  storage,
  async run(cli, input) {
    printAgentChange(cli.io, { action: 'rotated', result: await rotateAgentSecret(cli.deps, input) }, { cwd: cli.cwd, json: input.json });
    return 0;
  },
};

/** `keycloak delete-agent --agent-id ID`. */
export const deleteAgentCommand: Command<KeycloakFlags, AgentInput> = {
  parse: parseAgent,
  storage,
  async run(cli, input) {
    printAgentChange(cli.io, { action: 'deleted', result: await deleteAgent(cli.deps, input) }, { cwd: cli.cwd, json: input.json });
    return 0;
  },
};

/** `keycloak list-agents`: the agent clients of the realm (a table, or --json). */
export const listAgentsCommand: Command<KeycloakFlags, { json: boolean }> = {
  parse: (flags) => ({ json: flags.json === true }),
  storage,
  async run(cli, input) {
    printAgentList(cli.io, await listAgents(cli.deps), { json: input.json });
    return 0;
  },
};
