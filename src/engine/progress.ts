// Push and pull progress events, per layer: which layers moved and which were already there.
// Pure. The ids in these events are 12-character prefixes: of the layer's diff id on a push, of the blob digest on a
// pull; the registry phase maps them onto the manifest to count exact compressed bytes.

const TRANSFERRED = /^(Pushed|Pull complete|Download complete)$/;
const SKIPPED = /^(Layer already exists|Already exists|Mounted from .*)$/;

export interface ProgressSummary {
  transferredIds: string[];
  skippedIds: string[];
  transferred: number;
  skipped: number;
  /** Sum over transferred layers of the largest progress total seen (an estimate; the manifest is exact). */
  bytes: number;
}

export class ProgressTracker {
  private readonly status = new Map<string, 'transferred' | 'skipped' | 'pending'>();
  private readonly totals = new Map<string, number>();

  event(o: Record<string, unknown>): void {
    const id = typeof o.id === 'string' ? o.id : '';
    const status = typeof o.status === 'string' ? o.status : '';
    if (!id || !/^[0-9a-f]{12}$/.test(id)) return;
    const detail = o.progressDetail as { total?: number } | undefined;
    if (detail?.total) this.totals.set(id, Math.max(this.totals.get(id) ?? 0, detail.total));
    if (TRANSFERRED.test(status)) this.status.set(id, 'transferred');
    else if (SKIPPED.test(status)) this.status.set(id, 'skipped');
    else if (!this.status.has(id)) this.status.set(id, 'pending');
  }

  summary(): ProgressSummary {
    const transferredIds = [...this.status].filter(([, s]) => s === 'transferred').map(([id]) => id);
    const skippedIds = [...this.status].filter(([, s]) => s === 'skipped').map(([id]) => id);
    const bytes = transferredIds.reduce((sum, id) => sum + (this.totals.get(id) ?? 0), 0);
    return { transferredIds, skippedIds, transferred: transferredIds.length, skipped: skippedIds.length, bytes };
  }
}

/** "12.5MB" -> bytes, as docker prints sizes in progress text (powers of 1000). */
export function parseProgressSize(text: string): number | undefined {
  const m = /^([\d.]+)\s*([kKMGT]?B)$/.exec(text.trim());
  if (!m) return undefined;
  const mult: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
  return Number(m[1]) * (mult[m[2]] ?? 1);
}
