// What stagebench prints carries text it did not write: a build's error output, scenario and variant names from CSV
// files, a registry's answer. Escape sequences in it would act on the user's terminal (clear the screen, set the
// window title, rewrite earlier lines, hide text). Every write to stdout and stderr goes through stripControls; the
// one sequence stagebench itself uses (the progress line's "clear line") is kept.

const KEEP = '\x1b[2K';

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC strings, other ESC pairs, C0 controls other than
// tab, newline and carriage return, DEL, and C1 controls (U+0080-U+009F, e.g. the 8-bit CSI U+009B).
const CONTROLS =
  // eslint-disable-next-line no-control-regex
  /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[^[\]PX^_]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0080-\u009f]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROLS, (m) => (m === KEEP ? m : ''));
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/** Routes every string written to these streams through stripControls. Idempotent. */
export function guardTerminalOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? stripControls(chunk) : chunk, ...rest)) as typeof stream.write;
  }
}
