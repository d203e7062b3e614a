// CVSS v3.0 and v3.1 base scores from a vector string, by the formulas of the FIRST specification (section 7).

const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

// 3.1 rounds up on integers so that floating-point noise (e.g. 4.000000001) does not add a tenth.
function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function roundUp30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

/** The base score (0.0 to 10.0) of a "CVSS:3.x/AV:../..." vector, or undefined when it is not a complete v3 vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  const head = /^CVSS:3\.([01])$/.exec(parts[0] ?? '');
  if (!head) return undefined;
  const m: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const [k, v] = p.split(':');
    if (k && v !== undefined) m[k] = v;
  }
  const changed = m.S === 'C';
  if (m.S !== 'U' && m.S !== 'C') return undefined;
  const av = AV[m.AV];
  const ac = AC[m.AC];
  const pr = (changed ? PR_CHANGED : PR_UNCHANGED)[m.PR];
  const ui = UI[m.UI];
  const c = CIA[m.C];
  const i = CIA[m.I];
  const a = CIA[m.A];
  if ([av, ac, pr, ui, c, i, a].some((x) => x === undefined)) return undefined;

  const roundUp = head[1] === '1' ? roundUp31 : roundUp30;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}

/** The qualitative rating of a v3 base score (CVSS 3.1 table 14); 0.0 is 'none'. */
export function cvssRating(score: number): 'critical' | 'high' | 'medium' | 'low' | 'none' {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}
