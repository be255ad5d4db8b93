import { ExpiringTokensError } from '../../errors.js';
import type { StatusReport, TokenStatus } from '../../usecases/status.js';
import type { Io } from '../io.js';
import { displayPath, relativeTime } from './format.js';

const RENEWAL: Record<TokenStatus['renewal'], string> = {
  client_credentials: 'yes, re-issued with client credentials',
  refresh_token: 'yes, with its refresh token',
  sign_in: 'no: a new sign-in is needed (no refresh token)',
};

const title = (token: Pick<TokenStatus, 'kind' | 'name'>): string => (token.kind === 'ingress' ? 'ingress' : `${token.kind} ${token.name}`);

/** `status`: the stored tokens on stdout, as a listing or `--json`. */
export function printStatus(io: Io, report: StatusReport, options: { cwd: string; json: boolean; check: boolean }): void {
  if (options.json) {
    const { tokensDir, store, tokens, expiring } = report;
    io.out(
      JSON.stringify(
        {
          tokens_dir: tokensDir,
          store,
          tokens,
          installed: report.installed,
          ...(options.check ? { expiring: expiring.map((t) => t.file) } : {}),
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const lines: string[] = [];
  if (report.tokens.length === 0) lines.push(`No tokens in ${displayPath(report.tokensDir, options.cwd)}. Run mcpgw-creds to get them.`);
  for (const token of report.tokens) {
    const when = token.expires_in > 0 ? `expires ${relativeTime(token.expires_in)}` : `EXPIRED ${relativeTime(token.expires_in)}`;
    lines.push(`${title(token)} (${token.provider}): ${when}, ${token.expires_at_human}`);
    if (token.scope) lines.push(`  scope:    ${token.scope}`);
    if (token.groups_unverified)
      lines.push(
        `  groups:   ${token.groups_unverified.join(', ') || '(none)'}   (claim ${token.groups_claim ?? 'groups'}, read from the token, not verified)`,
      );
    lines.push(`  renewal:  ${RENEWAL[token.renewal]}`);
    lines.push(`  file:     ${displayPath(token.file, options.cwd)}${report.store === 'keychain' ? ' (tokens in the OS keychain)' : ''}`);
  }
  for (const entry of report.installed) {
    const servers = Object.entries(entry.servers).map(([name, mode]) => `${name} (${mode})`);
    lines.push(`installed in ${entry.client} (${entry.scope}): ${servers.join(', ')}`);
    lines.push(`  file:     ${displayPath(entry.file, options.cwd)}`);
  }
  io.out(lines.join('\n') + '\n');
}

/** What `status --check` reports when tokens expire within the buffer. */
export function expiringError(expiring: readonly TokenStatus[], bufferSeconds: number): ExpiringTokensError {
  const one = expiring.length === 1;
  return new ExpiringTokensError(
    `${expiring.length} token${one ? '' : 's'} expire${one ? 's' : ''} within ${bufferSeconds} s: ${expiring.map(title).join(', ')}`,
    'run mcpgw-creds refresh (or mcpgw-creds for a new sign-in)',
  );
}
