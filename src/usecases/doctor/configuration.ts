import { error, ok, warning, type Finding } from '../../diagnosis/findings.js';
import type { Deps } from '../deps.js';

/** The configuration, section by section, without any request. */
export function configurationFindings(deps: Pick<Deps, 'config'>): Finding[] {
  const { config } = deps;
  const findings: Finding[] = [];
  const files = config.settings.envFiles;
  findings.push(
    ok(
      'configuration',
      files.length > 0 ? `read from the environment and ${files.join(', ')}` : 'read from the environment (no .env file)',
    ),
  );
  const sections = [
    ['ingress', config.ingress],
    ['egress', config.egress],
    ['AgentCore', config.agentcore],
  ] as const;
  for (const [name, section] of sections) {
    for (const problem of section.problems)
      findings.push(error('configuration', `${name}: ${problem}`, 'fix it in .env (see .env.example) or in the environment'));
    for (const note of section.warnings) findings.push(warning('configuration', `${name}: ${note}`));
  }
  if (!config.ingress.value && config.ingress.problems.length === 0) {
    findings.push(
      warning(
        'configuration',
        'AUTH_PROVIDER is not set: no ingress token, so the gateway will answer 401',
        'set AUTH_PROVIDER and its variables (see .env.example)',
      ),
    );
  } else if (config.ingress.value) {
    const { provider, client } = config.ingress.value;
    findings.push(ok('configuration', `ingress: ${provider}, client ${client.clientId} (${client.credential.method})`));
  }
  if (config.settings.registryUrl === undefined) {
    findings.push(
      warning(
        'configuration',
        'REGISTRY_URL is not set: no client configuration can be written, and test and bridge do not know the gateway',
        "set REGISTRY_URL to the gateway's base URL",
      ),
    );
  }
  return findings;
}
