import type { WhoamiReport } from '../../usecases/whoami.js';
import type { Io } from '../io.js';
import { relativeTime } from './format.js';

const list = (values: readonly string[]): string => (values.length > 0 ? values.join(', ') : '(none)');

/** `whoami`: the token's claims and what they allow on stdout, its problems (with fixes) on stderr; or one JSON object. */
export function printWhoami(io: Io, report: WhoamiReport, options: { json: boolean }): void {
  if (options.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const expiry =
    report.expires_in > 0
      ? `${report.expires_at_human} (${relativeTime(report.expires_in)})`
      : `${report.expires_at_human} (EXPIRED ${relativeTime(report.expires_in)})`;
  const groups = report.groups ? `${list(report.groups.groups)} (claim ${report.groups.claim})` : '(no groups claim)';
  const lines = [
    `ingress token (${report.provider}), as its claims say: UNVERIFIED, the gateway checks the signature`,
    `  subject   ${report.subject ?? '(none)'}`,
    `  client    ${report.client}`,
    `  audience  ${list(report.audience)}`,
    `  issuer    ${report.issuer ?? '(unknown)'}`,
    `  groups    ${groups}`,
    `  scopes    ${list(report.scopes)}`,
    `  expires   ${expiry}`,
  ];
  const access = report.access;
  if (access) {
    lines.push(`with ${access.scopes_file}:`);
    for (const entry of access.groups) {
      lines.push(
        entry.scopes.length > 0
          ? `  group ${entry.group} → ${entry.scopes.join(', ')}`
          : `  group ${entry.group} → nothing${entry.did_you_mean === undefined ? '' : ` (did you mean "${entry.did_you_mean}"?)`}`,
      );
    }
    if (access.allowed.length === 0) lines.push('  allowed: nothing');
    else {
      lines.push('  allowed:');
      for (const server of access.allowed) lines.push(`    ${server.server}: methods ${list(server.methods)}; tools ${list(server.tools)}`);
    }
  }
  io.out(`${lines.join('\n')}\n`);
  for (const warning of report.warnings) io.warn(`${warning.message}\n  ${io.paint.dim('fix:')} ${warning.fix}`);
}
