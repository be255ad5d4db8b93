/**
 * What the bridge adds to each MCP request: the same `tools/call` sent N times straight to the
 * gateway-like server over Streamable HTTP (the MCP SDK's client, headers set once), then N times
 * through `mcpgw-creds bridge` over stdio; the median and 90th percentile of each, the difference,
 * and the bridge's memory (RSS, and its peak) read from /proc. The servers run in a process of
 * their own (bench/gateway.ts), so neither client shares an event loop with them.
 * Run: npx tsx bench/bridge.ts [calls]   Results: bench/bridge-results.md
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'mcpgw-creds.js');
const calls = Number(process.argv[2] ?? 300);
/** Where bench/bench.sh wants the numbers (JSON), besides bench/bridge-results.md. */
const jsonOut = process.argv[3];
const warmup = 30;
const work = mkdtempSync(path.join(tmpdir(), 'mcpgw-bench-bridge-'));
const envFile = path.join(work, '.env');

const servers = spawn('npx', ['tsx', path.join(repo, 'bench', 'gateway.ts'), envFile], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => servers.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
const env = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const childEnv = { PATH: process.env.PATH ?? '', HOME: work };
const obtained = spawnSync(bin, ['--ingress-only', '--quiet'], { cwd: work, env: childEnv });
if (obtained.status !== 0) throw new Error(`the ingress token could not be obtained: ${obtained.stderr.toString()}`);
const headers = JSON.parse(spawnSync(bin, ['headers', '--server', 'mcpgw'], { cwd: work, env: childEnv }).stdout.toString()) as Record<
  string,
  string
>;

/** Times `count` calls (after `skip` untimed ones) into `times`. */
async function timeCalls(client: Client, count: number, times: number[], skip = 0): Promise<void> {
  for (let i = 0; i < skip + count; i++) {
    const started = process.hrtime.bigint();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
    if (i >= skip) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const direct = new Client({ name: 'bench-direct', version: '1' });
await direct.connect(new StreamableHTTPClientTransport(new URL(`${env.REGISTRY_URL}/mcpgw/mcp`), { requestInit: { headers } }));
const transport = new StdioClientTransport({
  command: bin,
  args: ['bridge', '--server', 'mcpgw'],
  cwd: work,
  env: childEnv,
  stderr: 'inherit',
});
const bridged = new Client({ name: 'bench-bridge', version: '1' });
await bridged.connect(transport);

// Warmed up alike, then interleaved in rounds, so neither path gets the quieter moments.
const directTimes: number[] = [];
const bridgeTimes: number[] = [];
await timeCalls(direct, 0, [], warmup);
await timeCalls(bridged, 0, [], warmup);
const rounds = 10;
for (let round = 0; round < rounds; round++) {
  await timeCalls(direct, calls / rounds, directTimes);
  await timeCalls(bridged, calls / rounds, bridgeTimes);
}
directTimes.sort((a, b) => a - b);
bridgeTimes.sort((a, b) => a - b);
await direct.close();
const status = readFileSync(`/proc/${transport.pid}/status`, 'utf8');
const memory = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
await bridged.close();
servers.kill('SIGTERM');

const row = (name: string, t: number[]): string => `| ${name} | ${quantile(t, 0.5).toFixed(2)} | ${quantile(t, 0.9).toFixed(2)} |`;
const table = [
  `tools/call, ${calls} calls each (interleaved in ${rounds} rounds, after ${warmup} warm-up calls), loopback (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`,
  '',
  '| path | median [ms] | p90 [ms] |',
  '|:---|---:|---:|',
  row('direct Streamable HTTP (MCP SDK client)', directTimes),
  row('through mcpgw-creds bridge (stdio)', bridgeTimes),
  `| added by the bridge | ${(quantile(bridgeTimes, 0.5) - quantile(directTimes, 0.5)).toFixed(2)} | ${(quantile(bridgeTimes, 0.9) - quantile(directTimes, 0.9)).toFixed(2)} |`,
  '',
  `Bridge memory after the calls: RSS ${memory('VmRSS').toFixed(1)} MiB, peak ${memory('VmHWM').toFixed(1)} MiB.`,
  '',
].join('\n');
writeFileSync(path.join(repo, 'bench', 'bridge-results.md'), table);
if (jsonOut) {
  const summary = {
    calls,
    direct_median_ms: quantile(directTimes, 0.5),
    bridge_median_ms: quantile(bridgeTimes, 0.5),
    added_median_ms: quantile(bridgeTimes, 0.5) - quantile(directTimes, 0.5),
    added_p90_ms: quantile(bridgeTimes, 0.9) - quantile(directTimes, 0.9),
    rss_mib: memory('VmRSS'),
    peak_mib: memory('VmHWM'),
  };
  writeFileSync(jsonOut, JSON.stringify(summary, null, 2));
}
process.stdout.write(table);
process.exit(0);
