// A reader that goes away (`| head` has its lines, a `| tee` killed by the same Ctrl-C) closes stdout or stderr under
// us. Node reports the next write as an 'error' event (EPIPE) which, unhandled, ends the process at once: before a run
// stops its registry and engine and removes its images. Output nobody reads is dropped instead; what must reach the
// user whatever happens (the resume command) is also written into the run folder.

const closed = new Set<NodeJS.WritableStream>();

/** Makes a write error on these streams harmless for the rest of the process. Idempotent. */
export function tolerateClosedOutput(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (stream.listeners('error').includes(markClosed)) continue;
    stream.on('error', markClosed);
  }
}

function markClosed(this: NodeJS.WritableStream): void {
  closed.add(this);
}

/** Whether a write to this stream has failed (its reader is gone). */
export function isClosed(stream: NodeJS.WritableStream): boolean {
  return closed.has(stream) || (stream as { destroyed?: boolean }).destroyed === true;
}
