// One image read for explain: through the engine's export (docker save), by the built-in scanner's reader.
import type { Engine } from '../engine/engine.ts';
import { readSavedImage } from '../scan/builtin/saved-image.ts';
import { explainImage, type ExplainOptions, type Explanation } from './explain.ts';

export async function explainFromEngine(engine: Pick<Engine, 'saveImage'>, ref: string, options: ExplainOptions = {}): Promise<Explanation> {
  let saved;
  try {
    saved = await readSavedImage(await engine.saveImage(ref), ref);
  } catch (err) {
    throw new Error(`explain could not read image ${ref} from the engine's export (docker save): ${(err as Error).message}`, { cause: err });
  }
  return explainImage(ref, saved, options);
}
