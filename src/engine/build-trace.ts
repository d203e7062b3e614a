// Turning a build's progress into steps: BuildKit vertices (moby.buildkit.trace) and legacy "Step N/M" lines.
// Pure: the adapter decodes the protobuf and feeds plain objects here.
import type { BuildStep } from './engine.ts';
import { isFromInstruction, readDockerfile } from '../dockerfile/instructions.ts';

export interface TraceTimestamp {
  seconds: string | number;
  nanos: number;
}

/** A BuildKit vertex as protobufjs decodes it (toObject with longs as strings). */
export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  started?: TraceTimestamp | null;
  completed?: TraceTimestamp | null;
  error?: string;
}

function ms(t: TraceTimestamp | null | undefined): number | undefined {
  if (!t) return undefined;
  const s = Number(t.seconds);
  // protobuf's zero Timestamp (both 0) means "not set".
  if (s === 0 && !t.nanos) return undefined;
  return s * 1000 + t.nanos / 1e6;
}

/** Collects vertex updates; a vertex is reported many times as it starts, logs and completes. */
export class VertexCollector {
  private readonly byDigest = new Map<string, TraceVertex>();

  add(v: TraceVertex): void {
    const prev = this.byDigest.get(v.digest);
    if (!prev) {
      this.byDigest.set(v.digest, { ...v });
      return;
    }
    // Later updates win, but an update may leave a field unset that an earlier one had.
    prev.name = v.name || prev.name;
    prev.cached = v.cached || prev.cached;
    if (ms(v.started) !== undefined) prev.started = v.started;
    if (ms(v.completed) !== undefined) prev.completed = v.completed;
    if (v.error) prev.error = v.error;
  }

  vertices(): TraceVertex[] {
    return [...this.byDigest.values()];
  }
}

// "[builder 3/6] COPY package.json ./" or "[2/5] WORKDIR /app"
const STEP_NAME = /^\[(?:([^\]\s]+) )?(\d+)\/(\d+)\] (.*)$/s;

/** True for a Dockerfile instruction step; false for FROM and BuildKit's internal steps. */
export function isInstructionVertex(name: string): boolean {
  const m = STEP_NAME.exec(name);
  if (!m) return false;
  return !isFromInstruction(m[4]);
}

/**
 * Stage names in Dockerfile order, as BuildKit labels them: the `AS name` as written, or `stage-N` for an unnamed
 * stage of a multi-stage file (a single unnamed stage has no name in its labels). Pure.
 */
export function dockerfileStages(text: string): string[] {
  const { froms } = readDockerfile(text);
  return froms.map((f, i) => f.stage ?? (froms.length > 1 ? `stage-${i}` : ''));
}

/**
 * The instruction steps of a BuildKit build, in Dockerfile order: stages as `stageOrder` lists them (else by first
 * appearance in the trace), then step number.
 */
export function stepsFromVertices(vertices: TraceVertex[], stageOrder: string[] = []): BuildStep[] {
  const steps: Array<BuildStep & { stage: string; n: number; order: number }> = [];
  vertices.forEach((v, order) => {
    const m = STEP_NAME.exec(v.name);
    if (!m || isFromInstruction(m[4])) return;
    const started = ms(v.started);
    const completed = ms(v.completed);
    steps.push({
      label: m[1] ? `[${m[1]} ${m[2]}/${m[3]}]` : `[${m[2]}/${m[3]}]`,
      instruction: m[4].trim(),
      cached: v.cached,
      durationMs: started !== undefined && completed !== undefined ? Math.max(0, completed - started) : null,
      ...(v.error ? { error: v.error } : {}),
      stage: m[1] ?? '',
      n: Number(m[2]),
      order,
    });
  });
  const rank = new Map<string, number>(stageOrder.map((name, i) => [name, i]));
  for (const s of steps) if (!rank.has(s.stage)) rank.set(s.stage, stageOrder.length + s.order);
  steps.sort((a, b) => (rank.get(a.stage)! - rank.get(b.stage)!) || a.n - b.n);
  return steps.map(({ stage: _s, n: _n, order: _o, ...step }) => step);
}

/** Legacy builder: "Step 3/7 : COPY . ." lines, " ---> Using cache" marking a cached step. */
export class LegacyStepParser {
  private readonly steps: Array<BuildStep & { startedAt: number }> = [];

  /** Feed one `stream` text of the build output, with the time it arrived. */
  line(text: string, at: number): void {
    for (const raw of text.split('\n')) {
      const line = raw.trimEnd();
      const m = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
      if (m) {
        this.closeLast(at);
        this.steps.push({ label: `[${m[1]}/${m[2]}]`, instruction: m[3].trim(), cached: false, durationMs: null, startedAt: at });
        continue;
      }
      const last = this.steps[this.steps.length - 1];
      if (last && /^ ---> Using cache$/.test(line)) last.cached = true;
    }
  }

  private closeLast(at: number): void {
    const last = this.steps[this.steps.length - 1];
    if (last && last.durationMs === null) last.durationMs = Math.max(0, at - last.startedAt);
  }

  /** The instruction steps, without FROM, and without the LABEL steps the engine appends, one per build label. */
  finish(at: number, buildLabels: Record<string, string>): BuildStep[] {
    this.closeLast(at);
    const firstFrom = this.steps.findIndex((s) => isFromInstruction(s.instruction));
    const added = new Set(Object.entries(buildLabels).map(([k, v]) => `LABEL ${k}=${v}`));
    let end = this.steps.length;
    while (end > 0 && added.has(this.steps[end - 1].instruction.replace(/"/g, ''))) end -= 1;
    return this.steps
      .slice(0, end)
      // ARGs before the first FROM parametrise FROM lines; BuildKit does not count them as steps either.
      .filter((s, i) => i > firstFrom && !isFromInstruction(s.instruction))
      .map(({ startedAt: _s, ...step }) => step);
  }
}
