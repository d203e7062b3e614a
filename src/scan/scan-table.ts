// The on-screen scan summary: per scenario, packages, hygiene findings and vulnerabilities by variant, and the
// findings the reference image (single-stage unless scenario.json names another) carries that the other variants do
// not. Pure: results in, text out.
import { referenceOf, type Finding, type ScanResult } from '../types.ts';
import type { CountedFinding } from './scanner.ts';
import { vulnCounts } from './severity.ts';

export interface ScanTableItem {
  scenario: string;
  variant: string;
  result: ScanResult;
  /** The scan's duration, when the caller timed it. */
  duration_ms?: number | null;
}

/** At most this many findings are listed per scenario; the rest are counted. */
export const LISTED_FINDINGS = 25;

// Findings compare by kind, id and package: the same tool or advisory at another path is the same finding.
function key(f: Finding): string {
  return `${f.kind}\0${f.id}\0${f.package}`;
}

function cell(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : String(Math.round(v));
}

function render(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function describe(f: CountedFinding): string[] {
  const what = f.kind === 'vulnerability' ? `${f.package} ${f.version}`.trim() : f.package;
  const files = (f.count ?? 1) > 1 ? `(${f.count} files)` : '';
  const extra = f.kind === 'vulnerability' ? [f.severity || 'unknown', f.fixed_version ? `fixed in ${f.fixed_version}` : ''] : [f.path, files];
  return [f.kind, f.id, what, ...extra];
}

function uniqueFindings(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) if (!seen.has(key(f))) seen.set(key(f), f);
  return [...seen.values()];
}

function scenarioSection(scenario: string, items: ScanTableItem[], reference: string): string[] {
  const first = items[0].result;
  const db = first.vulns_checked ? `database ${first.db_date || 'of unknown date'}` : 'no vulnerability database';
  const lines = [`${scenario}  (${first.scanner} ${first.scanner_version}, ${db})`];
  const timed = items.some((i) => typeof i.duration_ms === 'number');
  const header = ['variant', 'os pkgs', 'npm pkgs', 'hygiene', 'critical', 'high', 'medium', 'low', 'other', ...(timed ? ['scan ms'] : [])];
  const rows = [header];
  for (const { variant, result, duration_ms } of items) {
    const v = vulnCounts(result);
    const other = v.vulns_negligible === null || v.vulns_unknown === null ? null : v.vulns_negligible + v.vulns_unknown;
    // Distinct by id and package, as findings compare: six listed source maps count once, like 200 counted ones.
    const hygiene = uniqueFindings(result.findings.filter((f) => f.kind === 'hygiene')).length;
    rows.push([
      variant, cell(result.packages_os), cell(result.packages_npm), String(hygiene),
      cell(v.vulns_critical), cell(v.vulns_high), cell(v.vulns_medium), cell(v.vulns_low), cell(other),
      ...(timed ? [cell(duration_ms)] : []),
    ]);
  }
  lines.push(...render(rows, new Set(header.map((_, i) => i).filter((i) => i > 0))).map((l) => `  ${l}`));
  if (!first.vulns_checked) lines.push('  (vulnerabilities not checked: "-" is unknown, not zero)');

  const single = items.find((i) => i.variant === reference);
  const others = items.filter((i) => i.variant !== reference);
  if (!single || others.length === 0) return lines;
  const singleFindings = uniqueFindings(single.result.findings);
  const keysOf = (i: ScanTableItem) => new Set(i.result.findings.map(key));
  const otherKeys = others.map((o) => ({ variant: o.variant, keys: keysOf(o) }));
  const per = otherKeys.map((o) => `${singleFindings.filter((f) => !o.keys.has(key(f))).length} that ${o.variant} does not`);
  const inNone = singleFindings.filter((f) => otherKeys.every((o) => !o.keys.has(key(f))));
  lines.push(`  ${reference} has ${per.join(', ')}; ${inNone.length} in no other variant${inNone.length ? ':' : '.'}`);
  const listed = inNone.slice(0, LISTED_FINDINGS).map(describe);
  if (listed.length) lines.push(...render(listed, new Set()).map((l) => `    ${l}`));
  if (inNone.length > LISTED_FINDINGS) lines.push(`    ... and ${inNone.length - LISTED_FINDINGS} more (findings.csv has them all)`);
  return lines;
}

/**
 * One section per scenario, in the order scenarios first appear. When a variant was scanned more than once, its
 * last scan is shown (every scan of the same image finds the same things).
 */
/** `references`: each scenario's reference variant, whose extra findings are listed. */
export function scanTable(results: ScanTableItem[], references?: Readonly<Record<string, string>>): string {
  const byScenario = new Map<string, Map<string, ScanTableItem>>();
  for (const item of results) {
    const variants = byScenario.get(item.scenario) ?? new Map<string, ScanTableItem>();
    variants.set(item.variant, item);
    byScenario.set(item.scenario, variants);
  }
  const sections = [...byScenario].map(([scenario, variants]) => scenarioSection(scenario, [...variants.values()], referenceOf(references, scenario)).join('\n'));
  return sections.join('\n\n') + (sections.length ? '\n' : '');
}
