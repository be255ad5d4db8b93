import { Problems } from '../../config/problems.js';
import { resolveSettings, type CommonFlags } from '../../config/settings.js';
import { ConfigError } from '../../errors.js';
import { renderClientConfigs } from '../../flows/render.js';
import { loadCatalogue } from '../../providers/catalogue.js';
import { FsTokenStore } from '../../store/fs-token-store.js';
import type { CliContext } from '../context.js';
import { jsonSummary, printStep, type StepReport } from '../report.js';

export interface RenderFlags extends CommonFlags {
  json?: boolean;
}

/** `mcpgw-creds render`: writes the client configurations from the token files present (SPEC §7). */
export async function renderCommand(flags: RenderFlags, cli: CliContext): Promise<number> {
  const problems = new Problems();
  const settings = resolveSettings(flags, { cwd: cli.cwd, processEnv: cli.env }, problems);
  problems.throwIfAny();
  for (const warning of problems.warnings) cli.io.warn(warning);
  if (settings.registryUrl === undefined) {
    throw new ConfigError('REGISTRY_URL is not set, so the servers have no address', {
      hint: 'set REGISTRY_URL to the gateway\'s base URL, e.g. https://gateway.example.com',
    });
  }
  const store = new FsTokenStore(settings.tokensDir, { warn: cli.io.warn });
  const rendered = await renderClientConfigs(
    { store, clock: cli.clock, warn: (message) => cli.io.warn(message), onSecret: (value) => cli.io.addSecret(value) },
    {
      registryUrl: settings.registryUrl,
      mcpServers: settings.mcpServers,
      loadProviderHeaders: async () => {
        const catalogue = await loadCatalogue(settings.providersDir);
        return (name) => catalogue.get(name)?.mcp_headers;
      },
    },
  );
  const report: StepReport = { step: 'render', status: 'ok', files: rendered.files, changed: rendered.changed };
  printStep(cli.io, report, { cwd: cli.cwd, nowSeconds: Math.floor(cli.clock.now() / 1000) });
  cli.io.detail(`servers: ${rendered.servers.join(', ')}`);
  if (flags.json) cli.io.out(jsonSummary([report], 0));
  return 0;
}
