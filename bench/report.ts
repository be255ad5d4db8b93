/**
 * Builds bench/results-nodeMAJOR.md from one run of bench/bench.sh: each path's median and its ratio
 * to `node -e 0` (memory too), next to the goal it is held to; 100 agents against 1; the bridge's
 * per-request overhead. Usage: tsx bench/report.ts MEMORY.tsv BRIDGE.json OUT (no extension) HYPERFINE.json...
 * Several hyperfine exports (rounds) are pooled: each path's median is over the runs of every round,
 * so a machine that slows down or speeds up during the benchmark weighs on every path alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

interface Result {
  command: string;
  median: number;
  mean: number;
  stddev: number;
  times: number[];
}

const [memoryFile, bridgeFile, out, ...hyperfineFiles] = process.argv.slice(2) as [string, string, string, ...string[]];
const rounds = hyperfineFiles.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { results: Result[] }).results);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};
const results: Result[] = (rounds[0] ?? []).map(({ command }) => {
  const times = rounds.flatMap((round) => round.find((result) => result.command === command)?.times ?? []);
  const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
  const stddev = Math.sqrt(times.reduce((sum, time) => sum + (time - mean) ** 2, 0) / times.length);
  return { command, median: median(times), mean, stddev, times };
});
const memory = new Map(
  readFileSync(memoryFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t') as [string, string])
    .map(([name, kib]) => [name, Number(kib) / 1024]),
);
const bridge = JSON.parse(readFileSync(bridgeFile, 'utf8')) as {
  added_median_ms: number;
  direct_median_ms: number;
  bridge_median_ms: number;
};

const byName = (name: string): Result => {
  const found = results.find((result) => result.command === name);
  if (!found) throw new Error(`no result for ${name}`);
  return found;
};
const ms = (seconds: number): string => (seconds * 1000).toFixed(1);
const base = byName('node -e 0');
const baseMemory = memory.get('node -e 0') ?? NaN;

/** The goals of the speed issue, as ratios to `node -e 0` (time, memory). */
const GOALS: Record<string, { time?: number; memory?: number }> = {
  'mcpgw-creds --help': { time: 1.1 },
  'mcpgw-creds token (fresh)': { time: 1.15, memory: 1.2 },
  'mcpgw-creds headers --server mcpgw (fresh)': { time: 1.15, memory: 1.2 },
  'mcpgw-creds --ingress-only (cached)': { time: 1.3 },
  'mcpgw-creds --ingress-only --force (one request + render)': { time: 1.5 },
};
const mark = (value: number, goal: number | undefined): string =>
  goal === undefined ? '' : value <= goal ? ` (goal ≤ ${goal}: met)` : ` (goal ≤ ${goal}: NOT met)`;

const lines = [
  `One run of bench/bench.sh, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} cores` +
    `${process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set (as on the test machine: every Node start reads it)' : ''}.`,
  `Medians over ${hyperfineFiles.length} interleaved rounds of hyperfine (${results[0]?.times.length ?? 0} runs of each path in all; whole processes); ` +
    'memory: the median of 5 runs of max RSS (GNU time).',
  '',
  '| path | median [ms] | × node -e 0 | max RSS [MiB] | × node -e 0 |',
  '|:---|---:|---:|---:|---:|',
];
for (const result of results) {
  const ratio = result.median / base.median;
  const rss = memory.get(result.command) ?? NaN;
  const goal = GOALS[result.command] ?? {};
  const isCurl = result.command.startsWith('curl');
  lines.push(
    `| \`${result.command}\` | ${ms(result.median)} | ${isCurl ? '–' : ratio.toFixed(2) + mark(ratio, goal.time)} | ${rss.toFixed(1)} | ${
      isCurl ? '–' : (rss / baseMemory).toFixed(2) + mark(rss / baseMemory, goal.memory)
    } |`,
  );
}
const floor = byName('floor: an ES module that prints the stored token');
const token = byName('mcpgw-creds token (fresh)');
lines.push(
  '',
  `\`token\` takes ${ms(token.median - floor.median)} ms more than the floor that only reads and prints the token file ` +
    `(${(floor.median / base.median).toFixed(2)}× node -e 0), an empty ES module ${(byName('floor: an empty ES module').median / base.median).toFixed(2)}×.`,
);
const one = byName('mcpgw-creds --agents-only --force, 1 agent');
const hundred = byName('mcpgw-creds --agents-only --force, 100 agents');
const agentsRatio = hundred.median / one.median;
lines.push(
  '',
  `100 agents against 1 agent (each --force): ${agentsRatio.toFixed(2)}×${mark(agentsRatio, 1.5)}.`,
  `The bridge adds ${bridge.added_median_ms.toFixed(2)} ms at the median to a tools/call on loopback (direct ${bridge.direct_median_ms.toFixed(2)} ms, bridged ${bridge.bridge_median_ms.toFixed(2)} ms)${mark(bridge.added_median_ms, 2).replace('goal ≤ 2', 'goal ≤ 2 ms')}.`,
  '',
);
writeFileSync(`${out}.md`, lines.join('\n'));
writeFileSync(`${out}.json`, `${JSON.stringify({ rounds: hyperfineFiles.length, results }, null, 2)}\n`);
