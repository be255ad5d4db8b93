import { CLIENT_IDS } from '../../clients/catalogue.js';
import type { InitOutcome } from '../../usecases/init/init.js';
import { displayPath, relativeTime } from './format.js';
import type { Io } from '../io.js';

/** What init did, and the commands to run next. */
export function printInit(io: Io, outcome: InitOutcome, options: { cwd: string; json: boolean; nowSeconds: number }): void {
  if (options.json) {
    io.out(
      `${JSON.stringify(
        {
          status: outcome.status,
          file: outcome.file,
          provider: outcome.provider ?? null,
          token: outcome.token ? { file: outcome.token.file, expires_at: outcome.token.expiresAt } : null,
          gateway: outcome.gatewayFindings.map(({ level, message, fix }) => ({ level, message, ...(fix ? { fix } : {}) })),
          egress: outcome.egressProviders,
          gitignore: outcome.gitignore,
        },
        null,
        2,
      )}\n`,
    );
  }
  if (outcome.status === 'kept') return;
  const { paint } = io;
  for (const finding of outcome.gatewayFindings) {
    if (finding.level === 'ok') io.info(`  ${paint.ok('✔')} ${finding.message}`);
    else io.warn(finding.fix ? `${finding.message}\n  fix: ${finding.fix}` : finding.message);
  }
  if (outcome.token) {
    const left = outcome.token.expiresAt - options.nowSeconds;
    io.info(
      `${paint.ok('✔')} a token from ${outcome.provider ?? 'the provider'}, expires ${relativeTime(left)} → ${displayPath(outcome.token.file, options.cwd)}`,
    );
  }
  io.info(`${paint.ok('✔')} wrote ${displayPath(outcome.file, options.cwd)} (mode 600)`);
  if (outcome.gitignore.length > 0) io.info(`${paint.ok('✔')} added ${outcome.gitignore.join(' and ')} to .gitignore`);
  io.info('');
  io.info('Next:');
  io.info(
    `  mcpgw-creds install claude-code    put the gateway into your MCP client (or: ${CLIENT_IDS.filter((id) => id !== 'claude-code').join(', ')})`,
  );
  if (outcome.egressProviders.length > 0)
    io.info(`  mcpgw-creds --egress-only          sign in to ${outcome.egressProviders.join(', ')} in your browser`);
  io.info('  mcpgw-creds test                   an MCP session with the gateway, as your client will have');
}
