import { Problems } from '../config/problems.js';
import { resolveSettings, type CommonFlags, type Settings } from '../config/settings.js';
import { openTokenStore } from '../store/open-store.js';
import type { TokenStore } from '../store/token-store.js';
import type { CliContext } from './context.js';

/**
 * The shared settings and the token store they name, for commands that need nothing else (status,
 * token, headers): settings problems are thrown at once (exit 2), before any file is touched.
 */
export async function openSettingsAndStore(flags: CommonFlags, cli: CliContext): Promise<{ settings: Settings; store: TokenStore }> {
  const problems = new Problems();
  const settings = resolveSettings(flags, { cwd: cli.cwd, processEnv: cli.env }, problems);
  problems.throwIfAny();
  for (const warning of problems.warnings) cli.io.warn(warning);
  return { settings, store: await openTokenStore(settings, cli.io.warn) };
}
