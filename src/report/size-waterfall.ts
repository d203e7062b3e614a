// The size section's opening: the waterfall from single to multi and from single to distroless (where the bytes
// saved come from, by part), and the split of each claim into stages alone and base swap where the run measured the
// control (multi-stage on single's base). Pure: the run's facts in, a block of plain cells out.
import { waterfallOf, WATERFALL_PARTS, type CompositionSide, type Waterfall } from '../explain/waterfall.ts';
import { partLabel, signedBytes, sizeChange } from '../explain/waterfall-format.ts';
import { SIZE_CONTROL_VARIANT, sizeSplit } from '../stats/size-split.ts';
import { formatBytes, formatPercent, formatRatio } from '../units.ts';
import { REFERENCE_VARIANT } from '../types.ts';
import type { ScenarioFacts, VariantFacts } from './facts.ts';
import type { Block } from './tables.ts';

const TARGETS = ['multi', 'distroless'];
const NONE = '—';

function side(v: VariantFacts): CompositionSide | undefined {
  if (!v.composition) return undefined;
  return { label: v.variant, categories: v.composition, imageBytes: v.image.imageBytes, compressedBytes: v.image.compressedBytes };
}

/** The waterfalls from the reference to multi and distroless that the run has compositions for. */
export function sizeWaterfalls(s: ScenarioFacts): Waterfall[] {
  const ref = s.variants.find((v) => v.variant === s.reference);
  const from = ref && side(ref);
  if (!from) return [];
  return TARGETS.flatMap((t) => {
    const v = s.variants.find((x) => x.variant === t);
    const to = v && side(v);
    return to ? [waterfallOf(from, to)] : [];
  });
}

/** "3.6x smaller: stages alone 1.9x, base swap 1.9x", or undefined without the sizes of all three. */
export function splitPhrase(s: ScenarioFacts, target: string): string | undefined {
  // The control is multi-stage on single's base: it splits claims made against single only.
  if (s.reference !== REFERENCE_VARIANT) return undefined;
  const bytes = (name: string) => s.variants.find((v) => v.variant === name)?.image.imageBytes;
  const split = sizeSplit(bytes(s.reference), bytes(SIZE_CONTROL_VARIANT), bytes(target));
  if (!split) return undefined;
  const total = split.total >= 1 ? `${formatRatio(split.total)} smaller` : `${formatRatio(1 / split.total)} larger`;
  return `${total}: stages alone ${formatRatio(split.stages)}, base swap ${formatRatio(split.base)}`;
}

export function waterfallBlock(s: ScenarioFacts): Block | undefined {
  const falls = sizeWaterfalls(s);
  if (falls.length === 0) return undefined;
  const pct = (w: Waterfall, bytes: number) => (w.difference === 0 ? NONE : formatPercent((100 * bytes) / w.difference));
  const rows = WATERFALL_PARTS.map((part, i) => [
    falls.map((w) => partLabel(w.parts[i])).find((l) => l !== part) ?? part,
    ...falls.flatMap((w) => [signedBytes(w.parts[i].bytes), pct(w, w.parts[i].bytes)]),
  ]);
  rows.push(['total: file bytes', ...falls.flatMap((w) => [`${signedBytes(w.difference)} (${formatBytes(w.fromBytes)} → ${formatBytes(w.toBytes)})`, w.difference === 0 ? NONE : formatPercent(100)])]);
  const sizeRow = (what: string, pick: (w: Waterfall) => { from: number | null; to: number | null }) => [
    what,
    ...falls.flatMap((w) => {
      const { from, to } = pick(w);
      return from === null || to === null ? [NONE, NONE] : [`${formatBytes(from)} → ${formatBytes(to)}`, sizeChange(from, to)];
    }),
  ];
  rows.push(sizeRow('image size, uncompressed (docker images)', (w) => w.uncompressed));
  rows.push(sizeRow('compressed (as pushed)', (w) => w.compressed));
  const splits = falls.map((w) => [w.to, splitPhrase(s, w.to)] as const).filter((x): x is readonly [string, string] => x[1] !== undefined);
  const notes = splits.length > 0
    ? splits.map(([t, phrase]) => `${s.reference} → ${t}: ${phrase} (single → ${SIZE_CONTROL_VARIANT} → ${t}, image sizes; the two factors multiply to the whole).`)
    : [`No ${SIZE_CONTROL_VARIANT} variant (multi-stage on ${s.reference}'s base) in this run: the stages and the base swap are not told apart. Add it to the scenario (stagebench init writes one) and scan it.`];
  notes.push('Each part is a change in the file bytes of composition.csv\'s categories, and the parts add up exactly to the total in file bytes (the engine\'s image size adds the text of symlink targets). Base image is the runtime category (the OS and Node); a toolchain or caches that come with the base image (the full node image\'s compilers, apt lists) are their own parts, so the waterfall says what kind of bytes went, and the split above, by image size through the control, says which change removed them. stagebench explain A B names the Dockerfile lines behind each part.');
  return {
    key: 'waterfall',
    title: 'Where the size difference comes from',
    table: {
      columns: ['part', ...falls.flatMap((w) => [`${w.from} → ${w.to}`, 'share'])],
      numeric: [false, ...falls.flatMap(() => [true, true])],
      rows,
    },
    notes,
  };
}
