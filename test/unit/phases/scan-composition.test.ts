// The scan phase's composition, without Docker: made from the image the built-in scanner read (no second export), or
// read once from the engine's export after a scanner that reads the image itself; made once for all samples of a
// variant; and a composition that cannot be made leaves the scan sample ok, with a note.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../../src/engine/engine.ts';
import type { RunContext, SampleSlot } from '../../../src/phases/phase.ts';
import { scanPhase } from '../../../src/phases/scan.ts';
import { readSavedImage, type SavedImage } from '../../../src/scan/builtin/saved-image.ts';
import type { ImageRead, ScannerService } from '../../../src/scan/scanner.ts';
import type { Scenario, ScanResult } from '../../../src/types.ts';
import type { Workspace } from '../../../src/scenario/workspace.ts';
import { layerTar, savedImage } from '../../fixtures/scan/saved-image.ts';

const RESULT: ScanResult = { scanner: 'builtin', scanner_version: '0', db_date: '', vulns_checked: false, packages_os: 0, packages_npm: 0, findings: [] };

async function imageStream() {
  const layer = await layerTar([
    { name: 'usr/local/bin/node', content: Buffer.alloc(5000) },
    { name: 'app/server.js', content: 'x'.repeat(70) },
    { name: 'app/node_modules/express/index.js', content: 'y'.repeat(300) },
  ]);
  return savedImage({ layers: [layer], config: { User: 'node', WorkingDir: '/app' } });
}

interface Fake {
  ctx: RunContext;
  saves: string[];
  logs: string[];
}

/** A run context with just what the scan phase's measure uses: inspectImage, saveImage, the scanner and a log. */
function fake(scanner: ScannerService, saveImage: Engine['saveImage'] = imageStream): Fake {
  const saves: string[] = [];
  const logs: string[] = [];
  const engine: Pick<Engine, 'inspectImage' | 'saveImage'> = {
    inspectImage: async () => ({ id: 'sha256:1', sizeBytes: 5370, layers: 1 }) as Awaited<ReturnType<Engine['inspectImage']>>,
    saveImage: async (ref) => {
      saves.push(ref);
      return saveImage(ref);
    },
  };
  // The phase reaches the engine only through these two calls; the rest of the context is never touched here.
  const ctx = {
    engine, runId: 'r', signal: new AbortController().signal, timeoutMs: 60_000, log: (l: string) => logs.push(l),
    services: { scanner: async () => scanner },
  } as unknown as RunContext;
  return { ctx, saves, logs };
}

const slot = { scenario: { name: 'demo' } as Scenario, variant: 'single', phase: 'scan', workspace: {} as Workspace } as SampleSlot;

function scanner(hand: (read?: ImageRead) => Promise<void>): ScannerService {
  return { name: 'x', version: '0', dbDate: '', notes: [], scan: async (_ref, _signal, read) => (await hand(read), RESULT) };
}

test('the built-in scanner hands over the image it read: no second export, rows of the variant', async () => {
  let saved: SavedImage | undefined;
  const f = fake(scanner(async (read) => read?.((saved = await readSavedImage(await imageStream())))));
  const m = await scanPhase(f.ctx, slot).measure(1);
  assert.ok(m.ok, m.error);
  assert.ok(saved);
  assert.equal(f.saves, []);
  const bytes = Object.fromEntries((m.composition ?? []).map((r) => [r.category, r.bytes]));
  assert.equal(bytes, { runtime: 5000, 'production dependencies': 300, devDependencies: 0, toolchain: 0, caches: 0, app: 70, wasted: 0 });
  assert.ok(m.composition!.every((r) => r.scenario === 'demo' && r.variant === 'single'));
});

test('after a scanner that reads the image itself, the image is exported once for all samples of the variant', async () => {
  const f = fake(scanner(async () => undefined));
  const handler = scanPhase(f.ctx, slot);
  const first = await handler.measure(1);
  const second = await handler.measure(2);
  assert.equal(f.saves, ['stagebench/demo:single']);
  assert.is(first.composition?.length, 7);
  assert.equal(second.composition, first.composition);
});

test('a composition that cannot be made is a note; the scan sample stays ok', async () => {
  const f = fake(scanner(async () => undefined), async () => {
    throw new Error('export refused');
  });
  const m = await scanPhase(f.ctx, slot).measure(1);
  assert.ok(m.ok);
  assert.is(m.composition, undefined);
  assert.is(f.logs.length, 1);
  assert.match(f.logs[0], 'demo single: composition.csv has no rows for stagebench/demo:single');
  assert.match(f.logs[0], 'export refused');
});

test.run();
