// The timing loop: the only module that imports tinybench. tinybench schedules warmup and iterations and keeps the
// statistics; each sample's preparation runs in its beforeEach hook, outside the timed part, and the sample reports
// its own duration (overriddenDuration) so that the row and tinybench's statistics hold the same number.
import { Bench } from 'tinybench';

export interface SampleLoop<T> {
  iterations: number;
  warmup: number;
  signal: AbortSignal;
  /** Untimed, before each sample (warmup ones too). */
  prepare(iteration: number, warmup: boolean): Promise<void>;
  /** The sample; returns its duration (ms) or null when it failed before anything was timed. */
  measure(iteration: number, warmup: boolean): Promise<{ durationMs: number | null; value: T }>;
  /** Untimed, after each sample (warmup ones too). */
  after(iteration: number, warmup: boolean): Promise<void>;
  /** Called with each non-warmup sample as soon as it is measured. */
  record(iteration: number, value: T): void;
}

export interface LoopStats {
  samples: number;
  /** tinybench's own latency statistics over the recorded durations, ms. */
  mean: number | undefined;
  median: number | undefined;
}

export async function runSamples<T>(name: string, loop: SampleLoop<T>): Promise<LoopStats> {
  let call = 0;
  const current = () => ({ warm: call < loop.warmup, iteration: call < loop.warmup ? call + 1 : call - loop.warmup + 1 });
  const bench = new Bench({
    name,
    iterations: loop.iterations,
    time: 0,
    warmup: loop.warmup > 0,
    warmupIterations: loop.warmup,
    warmupTime: 0,
    throws: true,
    retainSamples: true,
    signal: loop.signal,
  });
  bench.add(
    name,
    async () => {
      const { warm, iteration } = current();
      const { durationMs, value } = await loop.measure(iteration, warm);
      if (!warm) loop.record(iteration, value);
      // A failed sample that timed nothing still counts one call; tinybench needs a number.
      return { overriddenDuration: durationMs ?? 0 };
    },
    {
      beforeEach: async () => {
        const { warm, iteration } = current();
        await loop.prepare(iteration, warm);
      },
      afterEach: async () => {
        const { warm, iteration } = current();
        try {
          await loop.after(iteration, warm);
        } finally {
          call += 1;
        }
      },
    },
  );
  await bench.run();
  const task = bench.tasks[0];
  const result = task?.result as { latency?: { mean?: number; p50?: number } } | undefined;
  return { samples: loop.iterations, mean: result?.latency?.mean, median: result?.latency?.p50 };
}
