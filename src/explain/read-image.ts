// One image read for explain: through the engine's export (docker save), by the built-in scanner's reader.
import type { Engine } from '../engine/engine.ts';
import { readSavedImage, stopOnAbort, type SavedImage } from '../scan/builtin/saved-image.ts';
import { explainImage, type ExplainOptions, type Explanation } from './explain.ts';

/** The image's layers and config from the engine's export; `signal` stops the reading. */
export async function readImage(engine: Pick<Engine, 'saveImage'>, ref: string, signal?: AbortSignal): Promise<SavedImage> {
  signal?.throwIfAborted();
  try {
    const stream = await engine.saveImage(ref);
    const unlisten = stopOnAbort(stream, `reading ${ref}`, signal);
    try {
      return await readSavedImage(stream, ref);
    } finally {
      unlisten();
    }
  } catch (err) {
    throw new Error(`explain could not read image ${ref} from the engine's export (docker save): ${(err as Error).message}`, { cause: err });
  }
}

export async function explainFromEngine(engine: Pick<Engine, 'saveImage'>, ref: string, options: ExplainOptions = {}): Promise<Explanation> {
  return explainImage(ref, await readImage(engine, ref), options);
}
