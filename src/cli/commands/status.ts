import type { CommonFlags } from '../../config/settings.js';
import { decodeJwtPayloadUnverified } from '../../oauth/jwt.js';
import { listTokens, type StoredToken } from '../../store/token-files.js';
import type { CliContext } from '../context.js';
import { openSettingsAndStore } from '../settings-store.js';
import { displayPath, relativeTime } from '../report.js';

export interface StatusFlags extends CommonFlags {
  json?: boolean;
  check?: boolean;
  buffer?: number;
}

interface TokenStatus {
  kind: StoredToken['kind'];
  name: string;
  provider: string;
  server?: string;
  expires_at: number;
  expires_at_human: string;
  expires_in: number;
  scope?: string;
  /** From the access token's `groups` (or `cognito:groups`) claim, read without verifying it. */
  groups_unverified?: string[];
  renewal: 'client_credentials' | 'refresh_token' | 'sign_in';
  file: string;
}

function statusOf(token: StoredToken, nowSeconds: number, store: { pathOf(name: string): string }): TokenStatus {
  const { record } = token;
  const claims = decodeJwtPayloadUnverified(record.access_token);
  const groups = claims?.groups ?? claims?.['cognito:groups'];
  return {
    kind: token.kind,
    name: token.name,
    provider: record.provider,
    ...(typeof record.server === 'string' ? { server: record.server } : {}),
    expires_at: record.expires_at,
    expires_at_human: record.expires_at_human,
    expires_in: record.expires_at - nowSeconds,
    ...(record.scope ? { scope: record.scope } : {}),
    ...(Array.isArray(groups) ? { groups_unverified: groups.map(String) } : {}),
    renewal: token.kind === 'egress' ? (record.refresh_token ? 'refresh_token' : 'sign_in') : 'client_credentials',
    file: store.pathOf(token.file),
  };
}

const RENEWAL: Record<TokenStatus['renewal'], string> = {
  client_credentials: 'yes, re-issued with client credentials',
  refresh_token: 'yes, with its refresh token',
  sign_in: 'no: a new sign-in is needed (no refresh token)',
};

/**
 * `mcpgw-creds status [--json] [--check [--buffer SECONDS]]`: every stored token, on stdout. No
 * request is made. With --check, exits 1 when any token expires within the buffer (default 300 s).
 */
export async function statusCommand(flags: StatusFlags, cli: CliContext): Promise<number> {
  const { settings, store } = await openSettingsAndStore(flags, cli);
  const now = Math.floor(cli.clock.now() / 1000);
  const tokens = (await listTokens(store)).map((token) => statusOf(token, now, store));
  const buffer = flags.buffer ?? 300;
  const expiring = tokens.filter((token) => token.expires_in <= buffer);

  if (flags.json) {
    cli.io.out(JSON.stringify({ tokens_dir: settings.tokensDir, store: settings.store, tokens, ...(flags.check ? { expiring: expiring.map((t) => t.file) } : {}) }, null, 2) + '\n');
  } else if (tokens.length === 0) {
    cli.io.out(`No tokens in ${displayPath(settings.tokensDir, cli.cwd)}. Run mcpgw-creds to get them.\n`);
  } else {
    const lines: string[] = [];
    for (const token of tokens) {
      const title = token.kind === 'ingress' ? 'ingress' : `${token.kind} ${token.name}`;
      const when = token.expires_in > 0 ? `expires ${relativeTime(token.expires_in)}` : `EXPIRED ${relativeTime(token.expires_in)}`;
      lines.push(`${title} (${token.provider}): ${when}, ${token.expires_at_human}`);
      if (token.scope) lines.push(`  scope:    ${token.scope}`);
      if (token.groups_unverified) lines.push(`  groups:   ${token.groups_unverified.join(', ') || '(none)'}   (read from the token, not verified)`);
      lines.push(`  renewal:  ${RENEWAL[token.renewal]}`);
      lines.push(`  file:     ${displayPath(token.file, cli.cwd)}${settings.store === 'keychain' ? ' (tokens in the OS keychain)' : ''}`);
    }
    cli.io.out(lines.join('\n') + '\n');
  }
  if (flags.check && expiring.length > 0) {
    cli.io.error(
      `${expiring.length} token${expiring.length === 1 ? '' : 's'} expire${expiring.length === 1 ? 's' : ''} within ${buffer} s: ${expiring.map((t) => (t.kind === 'ingress' ? 'ingress' : `${t.kind} ${t.name}`)).join(', ')}`,
      'run mcpgw-creds refresh (or mcpgw-creds for a new sign-in)',
    );
    return 1;
  }
  return 0;
}
