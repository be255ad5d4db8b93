import type { CommonFlags } from '../../config/settings.js';
import { ConfigError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { planSteps } from '../plan.js';
import { jsonSummary, printStep, type StepReport } from '../report.js';
import { renderStep } from '../steps.js';

export interface RenderFlags extends CommonFlags {
  json?: boolean;
}

/** `mcpgw-creds render`: writes the client configurations from the token files present (SPEC §7). */
export async function renderCommand(flags: RenderFlags, cli: CliContext): Promise<number> {
  const plan = await planSteps(flags, cli, { steps: new Set() });
  if (plan.settings.registryUrl === undefined) {
    throw new ConfigError('REGISTRY_URL is not set, so the servers have no address', {
      hint: "set REGISTRY_URL to the gateway's base URL, e.g. https://gateway.example.com",
    });
  }
  const reports: StepReport[] = [];
  await renderStep(plan, cli, (report) => {
    reports.push(report);
    printStep(cli.io, report, { cwd: cli.cwd, nowSeconds: Math.floor(cli.clock.now() / 1000) });
  });
  const exitCode = reports.find((report) => report.status === 'failed')?.error?.exit_code ?? 0;
  if (flags.json) cli.io.out(jsonSummary(reports, exitCode));
  return exitCode;
}
