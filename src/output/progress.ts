// Live progress: on a terminal an updating status line plus one line per finished sample; elsewhere plain lines.
import type { PhaseName } from '../types.ts';
import { formatMs } from './units.ts';

export interface ProgressSink {
  start(label: { scenario: string; variant: string; phase: PhaseName; iteration: number; of: number; warmup: boolean }): void;
  sampleDone(text: string): void;
  note(text: string): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, clock: () => number = () => performance.now()): ProgressSink {
  const tty = stream.isTTY === true;
  const runStart = clock();
  let current = '';
  let sampleStart = clock();
  let timer: NodeJS.Timeout | undefined;
  const clear = () => tty && stream.write('\r\x1b[2K');
  const draw = () => {
    if (!tty || !current) return;
    clear();
    stream.write(`${current} · ${formatMs(clock() - sampleStart)} · total ${formatMs(clock() - runStart)}`);
  };
  return {
    start(l) {
      current = `${l.scenario} ${l.variant} ${l.phase} ${l.warmup ? 'warmup' : 'sample'} ${l.iteration}/${l.of}`;
      sampleStart = clock();
      if (tty) {
        timer ??= setInterval(draw, 250);
        timer.unref();
        draw();
      }
    },
    sampleDone(text) {
      clear();
      stream.write(`${text}\n`);
      draw();
    },
    note(text) {
      clear();
      stream.write(`${text}\n`);
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      current = '';
      clear();
    },
  };
}
