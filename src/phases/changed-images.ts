// Source-changed images that one phase made and a later phase of the same variant can use as they are, instead of
// building or pushing its own (issue 14, "no wasted work"):
// - build-warm-src's timed builds each leave an image of the sources changed by a line no build has seen. push-warm
//   needs exactly that, new to the registry, on top of the unchanged image it pushed first.
// - push-warm's timed push leaves that image in the registry, new to the pull target: what pull-warm needs.
// An image is handed out once, and only on top of the same unchanged image it was built on (`base`): a cold build in
// between makes new layers, and an image on the old ones would move more than its change.
import type { Workspace } from '../scenario/workspace.ts';
import type { Measured } from './phase.ts';

export interface ChangedImage {
  /** The changed image's id. */
  id: string;
  /** The id of the unchanged image it was built on. */
  base: string;
}

/** `built`: made by a timed source rebuild, never pushed. `pushed`: in the registry, never pulled. */
export type ChangedImageState = 'built' | 'pushed';

export class ChangedImages {
  private readonly kept = new WeakMap<Workspace, Map<string, ChangedImage[]>>();

  private list(ws: Workspace, variant: string, state: ChangedImageState): ChangedImage[] {
    let byKey = this.kept.get(ws);
    if (!byKey) this.kept.set(ws, (byKey = new Map()));
    const key = `${variant}\u0000${state}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    return list;
  }

  /** Kept for a later phase; an image that is its own base (nothing changed) is not a changed image. */
  offer(ws: Workspace, variant: string, state: ChangedImageState, image: ChangedImage): void {
    if (image.id && image.id !== image.base) this.list(ws, variant, state).push(image);
  }

  /** A timed sample's image, offered when the sample is ok and recorded one; the sample is returned as it was. */
  offerMeasured(ws: Workspace, variant: string, state: ChangedImageState, m: Measured, base: string): Measured {
    const id = m.fields.image_id;
    if (m.ok && typeof id === 'string') this.offer(ws, variant, state, { id, base });
    return m;
  }

  /**
   * The oldest image in `state` built on `base` that still exists (`exists` asks the engine), removed from the list;
   * undefined when there is none. Images on another base are dropped: nothing later can use them.
   */
  async take(ws: Workspace, variant: string, state: ChangedImageState, base: string, exists: (id: string) => Promise<boolean>): Promise<string | undefined> {
    const list = this.list(ws, variant, state);
    while (list.length > 0) {
      const image = list.shift() as ChangedImage;
      if (image.base === base && (await exists(image.id))) return image.id;
    }
    return undefined;
  }
}
