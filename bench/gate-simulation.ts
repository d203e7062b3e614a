// How often the `run --against` timing gate raises a false alarm on a clean run, and how often it catches a real
// slowdown, by simulation (not a timed test: `node --import tsx bench/gate-simulation.ts [--runs N] [--rounds N]`).
//
// Model: every sample is its row's true duration times a lognormal noise of coefficient of variation CV, drawn
// independently for each side and round, times a factor shared by both sides of a round (the machine's drift,
// which the pairing cancels). The gate is the real one (src/gate/paired.ts) at the defaults of run --against.
// A clean run has 18 rows (the example workflow's timing-gate job) with no change; a regressed run has one of them
// slower by the given factor. Reported: the family-wise false-alarm rate (runs with any row 'slower') and the power
// (runs where the slowed row is 'slower'), each with its 95% Wilson interval.
import { parseArgs } from 'node:util';
import { DEFAULT_PAIRED_OPTIONS, DEFAULT_ROUNDS, WARMUP_ROUNDS } from '../src/gate/defaults.ts';
import { pairedGate, type RoundPair } from '../src/gate/paired.ts';
import { seededRandom } from '../src/stats/seeded-random.ts';

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** A lognormal factor with mean 1 and the given coefficient of variation. */
function noise(rnd: () => number, cv: number): number {
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.sqrt(s2) * normal(rnd) - s2 / 2);
}

function simulateRun(rnd: () => number, rows: number, rounds: number, cv: number, slowRow: number, factor: number, drift: number): RoundPair[][] {
  const all = rounds + WARMUP_ROUNDS;
  return Array.from({ length: rows }, (_, row) => {
    const base = 1000 * (1 + row);
    return Array.from({ length: all }, (_, k) => {
      const shared = noise(rnd, drift);
      return {
        round: k + 1,
        baseline: base * shared * noise(rnd, cv),
        current: base * shared * noise(rnd, cv) * (row === slowRow ? factor : 1),
      };
    });
  });
}

function wilson(hits: number, n: number): [number, number] {
  const z = 1.96;
  const p = hits / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '2000' },
      rows: { type: 'string', default: '18' },
      rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
      drift: { type: 'string', default: '0.2' },
      seed: { type: 'string', default: '1' },
    },
  });
  const runs = Number(values.runs);
  const rows = Number(values.rows);
  const rounds = Number(values.rounds);
  const drift = Number(values.drift);
  const rnd = seededRandom(Number(values.seed));
  const opts = DEFAULT_PAIRED_OPTIONS;
  console.log(`gate simulation: ${runs} runs per cell, ${rows} rows, ${rounds} analysed rounds + ${WARMUP_ROUNDS} warm-up, alpha ${opts.alpha} (Holm), threshold ${opts.threshold_pct}%, round drift CV ${pct(drift)}`);
  console.log('noise CV | false alarms per clean run [95% CI] | power +10% | power +30% [95% CI]');
  for (const cv of [0.05, 0.1, 0.15]) {
    let alarms = 0;
    const caught: Record<string, number> = { '1.1': 0, '1.3': 0 };
    for (let i = 0; i < runs; i++) {
      if (pairedGate(simulateRun(rnd, rows, rounds, cv, -1, 1, drift), opts).some((s) => s.verdict === 'slower')) alarms++;
      for (const factor of [1.1, 1.3]) {
        const slow = Math.floor(rnd() * rows);
        if (pairedGate(simulateRun(rnd, rows, rounds, cv, slow, factor, drift), opts)[slow].verdict === 'slower') caught[String(factor)]++;
      }
    }
    const [fl, fh] = wilson(alarms, runs);
    const [pl, ph] = wilson(caught['1.3'], runs);
    console.log(`${pct(cv).padStart(8)} | ${pct(alarms / runs)} [${pct(fl)}, ${pct(fh)}] | ${pct(caught['1.1'] / runs)} | ${pct(caught['1.3'] / runs)} [${pct(pl)}, ${pct(ph)}]`);
  }
}

main();
