// The claims table for a terminal: one line per claim with its verdict, its evidence indented below it, and the
// command that measures what the run lacks. Pure: claims in, text out.
import type { Claim } from './claims.ts';
import { CLAIMS_TITLE } from './team-tables.ts';

export function claimsText(claims: readonly Claim[]): string {
  const width = Math.max(...claims.map((c) => c.verdict.length));
  const lines = [`${CLAIMS_TITLE}:`];
  for (const c of claims) {
    lines.push(`  ${c.verdict.padEnd(width)}  ${c.claim}`);
    for (const e of c.evidence) lines.push(`  ${' '.repeat(width)}    ${e}`);
    if (c.command) lines.push(`  ${' '.repeat(width)}    to measure: ${c.command}`);
  }
  return lines.join('\n');
}
