import { AREAS } from '../../diagnosis/findings.js';
import type { DoctorReport } from '../../usecases/doctor/doctor.js';
import type { Io } from '../io.js';

/** `doctor`: the findings by area on stdout, each with its fix; or one JSON object. */
export function printDoctor(io: Io, report: DoctorReport, options: { json: boolean }): void {
  if (options.json) {
    io.out(
      `${JSON.stringify({ ok: report.errors === 0, errors: report.errors, warnings: report.warnings, findings: report.findings }, null, 2)}\n`,
    );
    return;
  }
  const symbol = { ok: io.paint.ok('✔'), warning: io.paint.warn('!'), error: io.paint.bad('✖') };
  const lines: string[] = [];
  for (const area of AREAS) {
    const found = report.findings.filter((finding) => finding.area === area);
    if (found.length === 0) continue;
    lines.push(area);
    for (const finding of found) {
      lines.push(`  ${symbol[finding.level]} ${finding.message}`);
      if (finding.fix) lines.push(`      → ${finding.fix}`);
    }
  }
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  lines.push(
    report.errors + report.warnings === 0
      ? 'No problems found.'
      : `${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}.`,
  );
  io.out(`${lines.join('\n')}\n`);
}
