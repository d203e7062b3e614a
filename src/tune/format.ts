// The tune report as the screen shows it and as --format json prints it. Pure: a report in, text or an object out.
import { formatBytes, formatDuration } from '../units.ts';
import type { Stats } from '../types.ts';
import type { PairedTimes, TuneReport, WarmSrc } from './report.ts';
import type { SmokeResult } from './smoke.ts';
import type { RebuildCost } from './step-costs.ts';

const r3 = (n: number | null | undefined): number | null => (n === null || n === undefined ? null : Math.round(n * 1000) / 1000);

function statsJson(s: Stats | null | undefined) {
  if (!s) return null;
  return { n: s.n, median_ms: r3(s.median), mean_ms: r3(s.mean), stddev_ms: r3(s.stddev), min_ms: r3(s.min), max_ms: r3(s.max) };
}

function costJson(c: RebuildCost | null) {
  if (!c) return null;
  return {
    build_ms: r3(c.buildMs),
    steps: c.steps,
    cached_steps: c.cachedSteps,
    rebuilt_ms: r3(c.rebuiltMs),
    rebuilt: c.rebuilt.map((s) => ({ step: s.label, line: s.line, instruction: s.instruction, duration_ms: r3(s.durationMs), ...(s.cause ? { cause: s.cause } : {}) })),
  };
}

function pairJson(p: PairedTimes) {
  return {
    original_ms: r3(p.original?.stats?.median),
    candidate_ms: r3(p.candidate?.stats?.median),
    saved_ms: r3(p.saved?.median_ms),
    spread: {
      original: statsJson(p.original?.stats),
      candidate: statsJson(p.candidate?.stats),
      saved: p.saved ? { min_ms: r3(p.saved.min_ms), max_ms: r3(p.saved.max_ms) } : null,
    },
    samples_ms: { original: p.original?.samples.map(r3) ?? [], candidate: p.candidate?.samples.map(r3) ?? [] },
    steps_rebuilt: { original: costJson(p.rebuilt.original), candidate: costJson(p.rebuilt.candidate) },
    not_measured: p.not_measured,
  };
}

export function tuneJson(r: TuneReport) {
  return {
    scenario: r.scenario,
    variant: r.variant,
    dockerfile: r.dockerfile,
    profile: r.profile,
    iterations: r.iterations,
    measured: r.measured,
    results_dir: r.results_dir,
    findings: r.findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, severity: f.severity, message: f.message, fix: f.fix, measured_cause: r.measured ? measuredCause(r, f.line) : null })),
    original_ms: r3(r.warm_src.original?.stats?.median),
    candidate_ms: r3(r.warm_src.candidate?.stats?.median),
    candidate_path: r.candidate_path,
    saved_ms: r3(r.saved?.median_ms),
    spread: {
      original: statsJson(r.warm_src.original?.stats),
      candidate: statsJson(r.warm_src.candidate?.stats),
      saved: r.saved ? { min_ms: r3(r.saved.min_ms), max_ms: r3(r.saved.max_ms) } : null,
    },
    samples_ms: { original: r.warm_src.original?.samples.map(r3) ?? [], candidate: r.warm_src.candidate?.samples.map(r3) ?? [] },
    candidate_edits: r.candidate_edits,
    smoke: r.smoke,
    steps_rebuilt: {
      source: { original: costJson(r.steps_rebuilt.source.original), candidate: costJson(r.steps_rebuilt.source.candidate) },
      dependency: { original: costJson(r.steps_rebuilt.dependency.original), candidate: costJson(r.steps_rebuilt.dependency.candidate) },
    },
    context: {
      dir: r.context_dir,
      has_dockerignore: r.context.hasDockerignore,
      sent_bytes: r.context.sent.bytes,
      sent_files: r.context.sent.files,
      without_dockerignore_bytes: r.context.all.bytes,
      without_dockerignore_files: r.context.all.files,
      excluded: r.context.excluded,
    },
    cache_mount: r.cache_mount
      ? {
        candidate_path: r.cache_mount.candidate_path,
        edits: r.cache_mount.edits,
        smoke: r.cache_mount.smoke,
        build_warm_deps: pairJson(r.cache_mount.warm_deps),
        build_ci_deps: pairJson(r.cache_mount.ci_deps),
      }
      : null,
    discarded_samples: r.discarded_samples,
    errors: r.errors,
  };
}

function costLines(title: string, c: RebuildCost | null): string[] {
  if (!c) return [`  ${title}: not measured`];
  const head = `  ${title}: ${c.steps - c.cachedSteps} of ${c.steps} steps rebuilt, build ${formatDuration(c.buildMs)}`;
  const rows = c.rebuilt.map((s) => [s.label, s.line === null ? '' : `line ${s.line}`, formatDuration(s.durationMs), s.instruction]);
  const width = (i: number) => Math.max(...rows.map((r) => r[i].length));
  const lines = rows.map((r) => {
    const instruction = r[3].length > 70 ? `${r[3].slice(0, 67)}...` : r[3];
    return `    ${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2].padStart(width(2))}  ${instruction}`;
  });
  return [head, ...lines.flatMap((l, i) => (c.rebuilt[i].cause ? [l, `      why: ${c.rebuilt[i].cause}`] : [l]))];
}

/** The measured cause of the original's rebuild of a finding's line, after the source or the dependency change. */
export function measuredCause(r: TuneReport, line: number | null): string | null {
  if (line === null) return null;
  for (const [change, cost] of [['source', r.steps_rebuilt.source.original], ['dependency', r.steps_rebuilt.dependency.original]] as const) {
    const step = cost?.rebuilt.find((s) => s.line === line && s.cause);
    if (step) return `after the ${change} change, ${step.label} \`${step.instruction}\` rebuilt: ${step.cause}`;
  }
  return null;
}

/** Steps the original rebuilt after a change that the candidate no longer rebuilds: the cause is gone. */
function goneLines(title: string, original: RebuildCost | null, candidate: RebuildCost | null): string[] {
  if (!original || !candidate) return [];
  const still = new Set(candidate.rebuilt.map((s) => s.instruction));
  const gone = original.rebuilt.filter((s) => !still.has(s.instruction));
  if (gone.length === 0) return [];
  return [`  ${title}: no longer rebuilt by the candidate:`, ...gone.map((s) => `    ${s.instruction}${s.cause ? ` (was: ${s.cause})` : ''}`)];
}

function statsText(s: Stats | null | undefined): string {
  if (!s) return '-';
  return `median ${formatDuration(s.median)}  (min ${formatDuration(s.min)}, max ${formatDuration(s.max)}, sd ${formatDuration(s.stddev)}, n ${s.n})`;
}

function smokeText(sm: SmokeResult | null, which: string): string {
  if (sm === null) return `not run (${which} did not build)`;
  return sm.ok ? `passed in ${formatDuration(sm.ms)}` : `FAILED: ${sm.error}`;
}

/** Each timed sample, in the order taken, as the JSON's samples_ms lists them. */
function samplesLine(w: WarmSrc | null): string[] {
  return w && w.samples.length > 0 ? [`             samples: ${w.samples.map((ms) => formatDuration(ms)).join(', ')}`] : [];
}

function pairLines(title: string, p: PairedTimes, iterations: number, per: string): string[] {
  if (p.not_measured) return [`  ${title}: not measured: ${p.not_measured}`];
  return [
    `  ${title}, ${iterations} iteration${iterations === 1 ? '' : 's'} each`,
    `    original:  ${statsText(p.original?.stats)}`,
    `    candidate: ${statsText(p.candidate?.stats)}`,
    p.saved
      ? `    saved per ${per}: ${formatDuration(p.saved.median_ms)} (median of the paired differences; range ${formatDuration(p.saved.min_ms)} to ${formatDuration(p.saved.max_ms)})`
      : `    saved per ${per}: not measured`,
  ];
}

function cacheMountLines(r: TuneReport): string[] {
  const m = r.cache_mount;
  if (!m) return [];
  const out = ['', `Cache-mount candidate: ${m.candidate_path}`, ...m.edits.map((e) => `  ${e.description}`)];
  if (!r.measured) return out;
  const skipped = m.smoke === null && m.warm_deps.not_measured?.startsWith('skipped');
  if (!skipped) out.push(`  smoke test: ${m.smoke === null ? 'not run (the candidate did not build)' : m.smoke.ok ? `passed in ${formatDuration(m.smoke.ms)}` : `FAILED: ${m.smoke.error}`}`);
  out.push(...pairLines('build-warm-deps (a dependency change on this engine, its build cache warm)', m.warm_deps, r.iterations, 'dependency change'));
  out.push(...pairLines('build-ci after the dependency change (a fresh CI runner: build cache and cache mounts empty, layers imported from the registry)', m.ci_deps, r.iterations, 'dependency change on a fresh runner'));
  return out;
}

export function tuneText(r: TuneReport): string {
  const out: string[] = [];
  out.push(`stagebench tune ${r.scenario} --variant ${r.variant}  (${r.dockerfile}${r.target ? `, target ${r.target}` : ''}${r.context_dir !== '.' ? `, context ${r.context_dir}` : ''}, profile ${r.profile})`);
  out.push('');
  if (r.findings.length === 0) {
    out.push('Findings: none (no rule fires on this Dockerfile and .dockerignore)');
  } else {
    out.push(`Findings (${r.findings.length})`);
    for (const f of r.findings) {
      out.push(`  ${f.file}:${f.line ?? '-'}  ${f.severity}  ${f.rule}`);
      out.push(`      ${f.message}`);
      const measured = r.measured ? measuredCause(r, f.line) : null;
      if (measured) out.push(`      measured: ${measured}`);
      out.push(`      fix: ${f.fix}`);
    }
  }
  out.push('');
  const c = r.context;
  out.push(`Build context${r.context_dir !== '.' ? ` ${r.context_dir}/` : ''}${c.hasDockerignore ? '' : ' (no .dockerignore)'}`);
  out.push(`  sent:                      ${c.sent.files} files, ${formatBytes(c.sent.bytes)}`);
  out.push(`  without the .dockerignore: ${c.all.files} files, ${formatBytes(c.all.bytes)}`);
  // Every entry the JSON lists, largest first: the text hides none of them.
  if (c.excluded.length > 0) {
    out.push(`  kept out by the .dockerignore (${c.excluded.length} top-level entr${c.excluded.length === 1 ? 'y' : 'ies'}):`);
    const width = Math.max(...c.excluded.map((e) => e.entry.length));
    for (const e of c.excluded) out.push(`    ${e.entry.padEnd(width)}  ${e.files} file${e.files === 1 ? '' : 's'}, ${formatBytes(e.bytes)}`);
  }
  out.push('');
  if (r.measured) {
    out.push(`Original's smoke test: ${smokeText(r.smoke.original, 'the original')}`);
    out.push('');
    out.push('What a change rebuilds (steps from the BuildKit trace)');
    out.push(...costLines('original, source change', r.steps_rebuilt.source.original));
    out.push(...costLines('original, dependency change', r.steps_rebuilt.dependency.original));
    if (r.candidate_path) {
      out.push(...costLines('candidate, source change', r.steps_rebuilt.source.candidate));
      out.push(...costLines('candidate, dependency change', r.steps_rebuilt.dependency.candidate));
      out.push(...goneLines('source change', r.steps_rebuilt.source.original, r.steps_rebuilt.source.candidate));
      out.push(...goneLines('dependency change', r.steps_rebuilt.dependency.original, r.steps_rebuilt.dependency.candidate));
    }
    out.push('');
  }
  if (r.candidate_path) {
    out.push(`Candidate: ${r.candidate_path}`);
    for (const e of r.candidate_edits) out.push(`  ${e.description}`);
    if (r.measured) out.push(`  smoke test: ${smokeText(r.smoke.candidate, 'the candidate')}`);
  } else {
    out.push('Candidate: none: no stage installs dependencies after copying the whole context, and no npm install to switch to npm ci');
  }
  if (r.measured) {
    out.push('');
    out.push(`build-warm-src, ${r.iterations} iteration${r.iterations === 1 ? '' : 's'} each`);
    out.push(`  original:  ${statsText(r.warm_src.original?.stats)}`);
    out.push(...samplesLine(r.warm_src.original));
    if (r.candidate_path) {
      out.push(`  candidate: ${statsText(r.warm_src.candidate?.stats)}`);
      out.push(...samplesLine(r.warm_src.candidate));
      out.push(r.saved
        ? `  saved per source change: ${formatDuration(r.saved.median_ms)} (median of the paired differences; range ${formatDuration(r.saved.min_ms)} to ${formatDuration(r.saved.max_ms)})`
        : '  saved per source change: not measured');
    }
    if (r.discarded_samples > 0) {
      out.push(`  ${r.discarded_samples} build${r.discarded_samples === 1 ? ' was' : 's were'} discarded and taken again: steps the change cannot reach were rebuilt, so another build on the engine emptied the cache meanwhile`);
    }
  }
  out.push(...cacheMountLines(r));
  if (r.errors.length > 0) {
    out.push('');
    out.push('Errors');
    for (const e of r.errors) out.push(`  ${e.split('\n').join('\n    ')}`);
  }
  if (r.results_dir) {
    out.push('');
    out.push(`Results: ${r.results_dir} (tune.json${r.candidate_path ? ', Dockerfile.candidate' : ''}${r.cache_mount?.candidate_path ? ', Dockerfile.cache-mount' : ''})`);
  }
  return out.join('\n');
}
