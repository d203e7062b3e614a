// The --replay path of `stagebench tune`: options checked, the engine and profile found, tune's candidates replayed
// beside the original (replay/tune-replay.ts), and the seconds saved per commit printed and kept in tune-replay.json.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { intValue } from '../args.ts';
import { connectEngine } from '../engine/connect.ts';
import { EXIT, UsageError } from '../errors.ts';
import { resolveProfile, type ProfileChoice } from '../profile/profile.ts';
import { replayText } from '../replay/format.ts';
import { parseCommitSpec } from '../replay/plan.ts';
import { tuneOnReplay } from '../tune/replay.ts';
import { runStamp } from '../results/run-id.ts';
import { writeFileAtomic } from '../tools/write-file.ts';
import type { Scenario } from '../types.ts';
import { alignTable } from '../terminal/align-table.ts';
import { formatDuration } from '../units.ts';

export async function tuneReplayCommand(
  scenario: Scenario, variants: string[],
  o: { repo: string; commits: unknown; rounds: unknown; appDir: unknown; profileChoice: ProfileChoice; timeoutS: number; outRoot: string },
): Promise<number> {
  const repo = resolve(o.repo);
  if (!existsSync(join(repo, '.git'))) throw new UsageError(`stagebench tune: --replay ${repo} is not a git repository (no .git)`);
  const commitsText = typeof o.commits === 'string' ? o.commits : '10';
  const spec = parseCommitSpec(commitsText, 'HEAD');
  if (!spec) throw new UsageError(`stagebench tune: --commits takes a number from 1 to 1000 or a range A..B, not '${commitsText}'`);
  const rounds = intValue('tune', 'rounds', o.rounds, 3, 1, 50);
  const engine = await connectEngine();
  const { profile } = await resolveProfile(engine, o.profileChoice);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failed = false;
  try {
    for (const variant of variants) {
      const replayId = `replay-${runStamp(new Date())}`;
      const outDir = join(o.outRoot, `tune-${scenario.name}-${variant}-${replayId}`);
      const r = await tuneOnReplay(scenario, variant, {
        engine, repo, spec, ...(typeof o.appDir === 'string' ? { appDir: o.appDir } : {}), mode: 'warm', rounds, profile, replayId, outDir,
        timeoutMs: o.timeoutS * 1000, signal: controller.signal, log: (l) => console.error(`tune --replay ${scenario.name}/${variant}: ${l}`),
      });
      if (r.savings.length === 0) {
        console.log(`${scenario.name}/${variant}: tune has no candidate to prove (${r.none.join(', ')}: nothing to change)`);
        continue;
      }
      failed ||= r.replay.rows.some((x) => x.ok !== true);
      writeFileAtomic(join(outDir, 'tune-replay.json'), `${JSON.stringify({ scenario: scenario.name, variant, rounds, savings: r.savings, summary: r.replay.summary }, null, 2)}\n`, 'stagebench tune --out');
      console.log(replayText(r.replay.summary, r.replay.rows));
      console.log(`\nseconds saved per commit against ${variant} (${r.replay.summary.commits} commits x ${rounds} rounds, paired by commit and round; positive: the candidate is faster):`);
      console.log(alignTable([
        ['candidate', 'pairs', 'median saved', 'mean saved ±95%', 'total original', 'total candidate'],
        ...r.savings.map((s) => [s.candidate, String(s.pairs), formatDuration(s.median_ms), `${formatDuration(s.mean_ms)} ± ${formatDuration(s.ci95_ms)}`, formatDuration(s.total_original_ms), formatDuration(s.total_candidate_ms)]),
      ]));
      console.log(`results: ${outDir}/ (replay.csv, tune-replay.json)`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (controller.signal.aborted) return EXIT.interrupted;
  return failed ? EXIT.failed : EXIT.ok;
}
