// What stagebench prints carries text it did not write: a build's error output, scenario and variant names from CSV
// files, a registry's answer. Escape sequences in it would act on the user's terminal (clear the screen, set the
// window title, rewrite earlier lines, hide text), and a carriage return or an erase-line would overwrite the line
// that reported a failure. Every write to stdout and stderr goes through stripControls; the progress line's own
// "clear line" goes through writeControl, which only stagebench's code calls.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC strings, other ESC pairs, C0 controls other than
// tab and newline, a carriage return not followed by a newline, DEL, and C1 controls (U+0080-U+009F, e.g. the 8-bit
// CSI U+009B).
const CONTROLS =
  // eslint-disable-next-line no-control-regex
  /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[^[\]PX^_]?|\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0080-\u009f]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROLS, '');
}

/**
 * Text as inert on GitHub, where a job summary or a pull-request comment turns @name into a mention (a
 * notification), #123 into a link to an issue, and a bare URL or www. address into a link, even when escaped in
 * markdown: a word joiner (U+2060, invisible) after the @, the # and the scheme breaks each.
 */
export function inertReferences(text: string): string {
  return text
    .replace(/@(?=[\w-])/g, '@\u2060')
    .replace(/#(?=\d)/g, '#\u2060')
    .replace(/\b([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\u2060:')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u2060.`);
}

const guarded = new WeakSet<NodeJS.WriteStream>();
const unguarded = new WeakMap<NodeJS.WriteStream, (chunk: string) => boolean>();

/** Writes a control sequence of stagebench's own (the progress line's clear-line) past the guard. */
export function writeControl(stream: NodeJS.WriteStream, sequence: '\r\x1b[2K'): void {
  (unguarded.get(stream) ?? ((c: string) => stream.write(c)))(sequence);
}

/** Routes every string written to these streams through stripControls. Idempotent. */
export function guardTerminalOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    unguarded.set(stream, (chunk) => write(chunk));
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? stripControls(chunk) : chunk, ...rest)) as typeof stream.write;
  }
}
