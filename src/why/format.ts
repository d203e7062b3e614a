// why's output: a short table per stage with each step's cause, then each first cause with the cascade it set off
// (text), or the whole analysis as JSON. Pure.
import { formatDuration } from '../units.ts';
import type { Cause, FileChange, WhyResult } from './analyse.ts';

function fileText(f: FileChange): string {
  switch (f.change) {
    case 'content': return `${f.path} (content)`;
    case 'added': return `${f.path} (added)`;
    case 'removed': return `${f.path} (removed)`;
    case 'mode': return `${f.path} (mode ${f.modeBefore} -> ${f.modeAfter})`;
    case 'entered-context': return `${f.path} (entered the context)`;
    case 'left-context': return `${f.path} (left the context)`;
  }
}

const short = (id: string | null): string => (id === null ? 'id unknown' : id.replace(/^sha256:/, '').slice(0, 12));

/** One line: the cause of one rebuilt step, in the builder's terms. */
export function causeText(cause: Cause): string {
  switch (cause.kind) {
    case 'files': {
      const total = Object.values(cause.counts).reduce((a, b) => a + (b ?? 0), 0);
      const more = total > cause.files.length ? ` and ${total - cause.files.length} more` : '';
      const list = `${cause.files.map(fileText).join(', ')}${more}`;
      if (cause.metadataOnly) return `metadata only: ${total} file${total === 1 ? '' : 's'} changed mode, content unchanged: ${list}`;
      const moved = (cause.counts['entered-context'] ?? 0) + (cause.counts['left-context'] ?? 0);
      const ignore = moved > 0 ? `; ${moved} entered or left the context because .dockerignore changed` : '';
      return `${total} file${total === 1 ? '' : 's'} it copies changed: ${list}${ignore}`;
    }
    case 'variable': {
      const what = cause.declaredBy === 'ARG' ? 'build arg' : 'ENV';
      const v = (s: string | null) => (s === null ? 'unset' : `'${s}'`);
      const others = cause.others > 0 ? ` (and ${cause.others} more value${cause.others === 1 ? '' : 's'})` : '';
      return `${what} ${cause.name} changed: ${v(cause.before)} -> ${v(cause.after)}${others}`;
    }
    case 'base':
      return cause.refBefore === cause.refAfter
        ? `base image ${cause.refAfter} changed digest: ${short(cause.idBefore)} -> ${short(cause.idAfter)}`
        : `base image changed: ${cause.refBefore} (${short(cause.idBefore)}) -> ${cause.refAfter} (${short(cause.idAfter)})`;
    case 'instruction':
      return cause.before === null ? 'new step: BEFORE had no step here' : `instruction changed: was \`${cause.before}\``;
    case 'cascade':
      if (cause.earlier) return `rebuilt because the input of ${cause.after} changed, though that step itself came from an older cache record: ${causeText(cause.earlier)}`;
      return cause.after === cause.origin ? `rebuilt because ${cause.after} rebuilt` : `rebuilt because ${cause.after} rebuilt (first cause at ${cause.origin})`;
    case 'stage':
      return `copies from stage ${cause.stage}, which rebuilt (${cause.rebuiltStep}), and what it copies changed (the builder keys COPY --from by content)`;
    case 'none':
      return `no input change found; compared: ${cause.compared.join('; ')}`;
  }
}

/** Columns padded to their widest cell, the time right-aligned, the cause last and unpadded. */
function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `  ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}  ${r[3]}`.trimEnd()).join('\n');
}

export function whyText(r: WhyResult): string {
  const rebuilt = r.steps.filter((s) => !s.cached);
  const out: string[] = [];
  const totalMs = rebuilt.reduce((a, s) => a + (s.durationMs ?? 0), 0);
  out.push(`AFTER rebuilt ${rebuilt.length} of ${r.steps.length} steps (${formatDuration(totalMs)} in rebuilt steps)`);
  const stages = [...new Set(r.steps.map((s) => s.stage))];
  for (const stage of stages) {
    out.push('', stage === '' ? 'stage (single)' : `stage ${stage}`);
    const rows = [['step', 'instruction', 'time', 'cause']];
    for (const s of r.steps.filter((x) => x.stage === stage)) {
      const ins = s.instruction.length > 48 ? `${s.instruction.slice(0, 47)}…` : s.instruction;
      rows.push([s.label, ins, s.cached ? 'cached' : formatDuration(s.durationMs), s.cause ? causeText(s.cause) : '']);
    }
    out.push(table(rows));
  }
  const untimed = rebuilt.filter((s) => s.durationMs === null);
  if (untimed.length > 0) {
    out.push('', `Warning: ${untimed.length} rebuilt step${untimed.length === 1 ? ' has' : 's have'} no start or end in the trace: another build on the engine was running the same steps at the same time, and the causes above may be wrong. Run why on an otherwise idle engine.`);
  }
  if (r.foreign.length > 0) {
    out.push('', `Left out, not steps of this Dockerfile (a concurrent build on the engine shared them): ${r.foreign.join('; ')}`);
  }
  out.push('');
  if (r.firstCauses.length === 0) out.push('Every step came from the cache: no input change reached a step.');
  else out.push('First causes and what they set off:');
  for (const f of r.firstCauses) {
    out.push(`  ${f.step.label} ${f.step.instruction}${f.step.cached ? ' (served from an older cache record)' : ''}: ${causeText(f.cause)}`);
    if (f.cascade.length > 0) {
      out.push(`    cascade: ${f.cascade.map((c) => `${c.label} ${formatDuration(c.durationMs)}`).join(', ')}`);
    }
    out.push(`    cost: ${formatDuration(f.totalMs)} (this step and its cascade)`);
  }
  return out.join('\n');
}

export function whyJson(r: WhyResult, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ...extra,
    steps: r.steps,
    foreign: r.foreign,
    firstCauses: r.firstCauses.map((f) => ({ step: f.step.label, cached: f.step.cached, cause: f.cause, text: causeText(f.cause), cascade: f.cascade.map((c) => c.label), totalMs: f.totalMs })),
  }, null, 2);
}
