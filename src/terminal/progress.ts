// Live progress: on a terminal an updating status line (this sample, the run's position, the time left) plus one line
// per finished sample; elsewhere (CI) plain lines, the position at most every 30 s.
import type { PhaseName } from '../types.ts';
import { formatDuration } from '../units.ts';
import { writeControl } from './terminal-text.ts';

export interface ProgressSink {
  start(label: { scenario: string; variant: string; phase: PhaseName; iteration: number; of: number; warmup: boolean; position?: () => string }): void;
  sampleDone(text: string): void;
  note(text: string): void;
  stop(): void;
}

/** Not a terminal: a plain position line at most this often. */
export const PLAIN_EVERY_MS = 30_000;

export function createProgress(stream: NodeJS.WriteStream = process.stderr, clock: () => number = () => performance.now()): ProgressSink {
  const tty = stream.isTTY === true;
  const runStart = clock();
  let current = '';
  let sampleStart = clock();
  let timer: NodeJS.Timeout | undefined;
  let position: (() => string) | undefined;
  let lastPlain = -Infinity;
  const clear = () => tty && writeControl(stream, '\r\x1b[2K');
  const draw = () => {
    if (!tty || !current) return;
    clear();
    stream.write(position ? `${current} ${formatDuration(clock() - sampleStart)} · ${position()}` : `${current} · ${formatDuration(clock() - sampleStart)} · total ${formatDuration(clock() - runStart)}`);
  };
  return {
    start(l) {
      current = `${l.scenario} ${l.variant} ${l.phase} ${l.warmup ? 'warmup' : 'sample'} ${l.iteration}/${l.of}`;
      sampleStart = clock();
      position = l.position;
      if (!tty && position && clock() - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = clock();
        stream.write(`progress: ${current} · ${position()}\n`);
      }
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
