// `stagebench replay`, the part that builds: each commit of the range written into a folder (the scenario's files
// laid over it when they live outside the repository), built per variant in order on a warm cache (a developer's
// machine, a persistent CI builder) or as a fresh CI runner (no local cache, the previous commit's cache imported
// from a registry: phases/ci.ts's recipe), then pushed to a private registry holding the previous commit's image,
// so each row says what a push would move. Rows go to replay.csv as they are measured.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWithTimeout } from '../engine/build-with-timeout.ts';
import type { BuildOutcome, Engine } from '../engine/engine.ts';
import { LABEL_RUN } from '../engine/labels.ts';
import type { NpmRoute } from '../npm-proxy/npm-route.ts';
import { ciBuildRequest, notFresh } from '../phases/ci.ts';
import { buildRequest, removeScenarioImages } from '../phases/build.ts';
import { startEmbeddedRegistry, type EmbeddedRegistry } from '../registry/embedded.ts';
import { openReplayCsv } from '../results/replay-csv.ts';
import { contextSubfolder } from '../scenario/build-context.ts';
import { loadScenario } from '../scenario/load.ts';
import { SCHEMA, type Profile, type Scenario } from '../types.ts';
import { checkout, listCommits, short } from './git.ts';
import { isDependencyInstall, roundOrder, summarizeReplay, touchOf, type CommitSpec, type ReplayCommit, type ReplayMode, type ReplayRow, type ReplaySummary } from './plan.ts';

export interface ReplayRequest {
  engine: Engine;
  repo: string;
  spec: CommitSpec;
  /** A scenario folder whose scenario.json, Dockerfiles and .dockerignore are laid over every commit; else the repository's own. */
  scenarioDir?: string;
  /** The app's folder inside the repository (a monorepo's service), '' for the root: the scenario folder of each commit. */
  appDir?: string;
  variants?: string[];
  mode: ReplayMode;
  rounds: number;
  profile: Profile;
  replayId: string;
  outDir: string;
  timeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** The registry pushes go to (default: an embedded one, started for the replay and stopped at its end). */
  startRegistry?: (replayId: string) => Promise<ReplayRegistry>;
  /** Opens the npm registry route once the first commit's scenario is known (--npm-registry). */
  openNpm?: () => Promise<NpmRoute>;
}

export type ReplayRegistry = Pick<EmbeddedRegistry, 'prefix' | 'auth' | 'repository' | 'stop'>;

export interface ReplayResult {
  rows: ReplayRow[];
  summary: ReplaySummary;
  csv: string;
}

/**
 * The files of a scenario folder that make the build, as opposed to the app: laid over each commit. Only the
 * Dockerfiles its variants name: the app's own Dockerfile in the folder is the app's, and changes with its commits.
 */
function scenarioFiles(dir: string): string[] {
  const named = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as { variants?: Record<string, { dockerfile?: unknown }> };
  const dockerfiles = new Set(Object.values(named.variants ?? {}).map((v) => v.dockerfile).filter((f): f is string => typeof f === 'string'));
  return readdirSync(dir).filter((f) => f === 'scenario.json' || f === '.dockerignore' || f === 'bench-changes' || dockerfiles.has(f));
}

export async function runReplay(req: ReplayRequest): Promise<ReplayResult> {
  const { engine, signal } = req;
  const { base, commits } = await listCommits(req.repo, req.spec);
  if (commits.length === 0) throw new Error(`stagebench replay: ${req.repo} has no commit in the range`);
  const work = mkdtempSync(join(tmpdir(), `stagebench-replay-${req.replayId}-`));
  const tree = join(work, 'tree');
  const index = join(work, 'index');
  const overlay = req.scenarioDir ? scenarioFiles(req.scenarioDir) : [];
  const place = async (sha: string): Promise<Scenario> => {
    await checkout(req.repo, sha, tree, index);
    const app = join(tree, req.appDir ?? '');
    for (const f of overlay) cpSync(join(req.scenarioDir!, f), join(app, f), { recursive: true });
    if (!existsSync(join(app, 'scenario.json'))) {
      throw new Error(`stagebench replay: commit ${short(sha)} has no scenario.json at the root of ${req.repo}; give --scenario DIR (a folder made by stagebench init) to lay over every commit`);
    }
    // A scenario folder is named as its scenario.json says (the loader checks it).
    const named = JSON.parse(readFileSync(join(app, 'scenario.json'), 'utf8')) as { name?: unknown };
    const dir = join(work, 'commit', typeof named.name === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(named.name) ? named.name : 'app');
    rmSync(join(work, 'commit'), { recursive: true, force: true });
    mkdirSync(join(work, 'commit'));
    renameSync(app, dir);
    rmSync(tree, { recursive: true, force: true });
    return loadScenario(dir);
  };
  const csvFile = join(req.outDir, 'replay.csv');
  const csv = openReplayCsv(csvFile);
  const rows: ReplayRow[] = [];
  let registry: ReplayRegistry | undefined;
  let npm: NpmRoute | undefined;
  let scenarioName = '';
  try {
    registry = await (req.startRegistry ?? startEmbeddedRegistry)(req.replayId);
    const first = await place(base ?? commits[0].sha);
    scenarioName = first.name;
    const variants = req.variants?.length ? req.variants : Object.keys(first.variants);
    for (const v of variants) if (!first.variants[v]) throw new Error(`stagebench replay: --variant ${v} is not a variant of ${first.name}; its variants: ${Object.keys(first.variants).join(', ')}`);
    if (req.openNpm) {
      npm = await req.openNpm();
      await npm.warm?.([first], signal, req.log);
    }
    const reg = registry;
    const repoName = `${reg.prefix}/${reg.repository(first.name, false)}`;
    const inRegistry = new Set<string>();
    /** One build of the tree as it is, then its push; the fresh runner first empties the engine and imports the cache. */
    const buildAndPush = async (scenario: Scenario, variant: string): Promise<{ o: BuildOutcome; error: string; pushBytes: number | null; imageBytes: number | null }> => {
      const ref = `${repoName}:${variant}`;
      const plain = buildRequest({ runId: req.replayId, profile: req.profile, builder: 'buildkit', scenario, variant, contextDir: scenario.dir, signal, ...(npm ? { npm } : {}) });
      let request = plain;
      if (req.mode === 'fresh-runner') {
        await removeScenarioImages(engine, scenario.name);
        await engine.removeImage(ref);
        await engine.pruneBuildCache();
        const usage = await engine.buildCacheUsage();
        const images = await engine.imagesWithLabels({ [LABEL_RUN]: req.replayId });
        const why = notFresh({ cacheRecords: usage.records, cacheBytes: usage.bytes, scenarioImages: images.length });
        if (why) return { o: { ok: false, error: why, reason: 'engine error', durationMs: 0, contextBytes: 0, steps: [], log: [] }, error: why, pushBytes: null, imageBytes: null };
        request = ciBuildRequest(plain, inRegistry.has(variant) ? [ref] : []);
      }
      const o = await buildWithTimeout(engine, request, req.timeoutMs, signal);
      if (!o.ok) return { o, error: `build failed: ${o.error.split('\n').slice(0, 6).join(' ')}`, pushBytes: null, imageBytes: null };
      const facts = await engine.inspectImage(o.imageId);
      await engine.tagImage(o.imageId, repoName, variant);
      const p = await engine.push(ref, reg.auth, signal);
      if (p.ok) inRegistry.add(variant);
      return { o, error: p.ok ? '' : `push failed: ${p.error}`, pushBytes: p.ok ? p.transferBytes : null, imageBytes: facts?.sizeBytes ?? null };
    };
    for (let round = 1; round <= req.rounds && !signal.aborted; round++) {
      const order = roundOrder(variants, round);
      // Each round starts from nothing of the scenario: the base commit built untimed warms the cache and the registry.
      await removeScenarioImages(engine, first.name);
      await engine.removeImagesWithLabels({ [LABEL_RUN]: req.replayId });
      await engine.pruneBuildCache();
      inRegistry.clear();
      if (base) {
        const s = await place(base);
        for (const v of order) {
          req.log(`round ${round}: base ${short(base)} ${v} (untimed)`);
          const b = await buildAndPush(s, v);
          if (b.error) throw new Error(`stagebench replay: the base commit ${short(base)} did not build for ${v}: ${b.error}`);
        }
      }
      for (const [i, c] of commits.entries()) {
        if (signal.aborted) break;
        let s: Scenario;
        try {
          s = await place(c.sha);
        } catch (err) {
          // A commit the scenario does not fit (no app folder yet, a manifest it rejects): failed rows, and on.
          if (signal.aborted) throw err;
          const error = `the scenario does not load at this commit: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`;
          for (const v of order) {
            const row = replayRow(req, first, c, v, round, i + 1, { o: { ok: false, error, reason: 'invalid build', durationMs: 0, contextBytes: 0, steps: [], log: [] }, error, pushBytes: null, imageBytes: null });
            rows.push(row);
            csv.append(row);
          }
          continue;
        }
        for (const v of order) {
          if (!s.variants[v]) continue;
          req.log(`round ${round}: ${i + 1}/${commits.length} ${short(c.sha)} ${v} (${c.subject.slice(0, 60)})`);
          const b = await buildAndPush(s, v);
          const row = replayRow(req, s, c, v, round, i + 1, b);
          rows.push(row);
          csv.append(row);
        }
      }
    }
  } finally {
    csv.close();
    if (scenarioName) await removeScenarioImages(engine, scenarioName);
    await engine.removeImagesWithLabels({ [LABEL_RUN]: req.replayId });
    await npm?.stop();
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return { rows, summary: summarizeReplay(rows, req.mode), csv: csvFile };
}

function replayRow(req: ReplayRequest, s: Scenario, c: ReplayCommit, variant: string, round: number, position: number, b: { o: BuildOutcome; error: string; pushBytes: number | null; imageBytes: number | null }): ReplayRow {
  const ignore = join(s.dir, contextSubfolder(s), '.dockerignore');
  const definition = [...Object.values(s.variants).map((v) => join(contextSubfolder(s), v.dockerfile).replace(/^\.\//, '')), join(contextSubfolder(s), '.dockerignore').replace(/^\.\//, ''), 'scenario.json'];
  // Repository paths: the app's folder and the scenario's context subfolder in front of the scenario's own paths.
  const inRepo = (p: string) => [req.appDir ?? '', p].filter((x) => x && x !== '.').join('/').replace(/\/\.\//g, '/');
  const touch = touchOf(c.files, inRepo(contextSubfolder(s)), existsSync(ignore) ? readFileSync(ignore, 'utf8') : null, definition.map(inRepo));
  const rebuilt = b.o.steps.filter((x) => !x.cached);
  return {
    schema: SCHEMA,
    replay_id: req.replayId,
    mode: req.mode,
    scenario: s.name,
    round,
    position,
    commit: c.sha,
    subject: c.subject,
    variant,
    ok: b.error === '',
    error: b.error,
    duration_ms: b.o.ok ? b.o.durationMs : null,
    steps: b.o.steps.length,
    cached_steps: b.o.steps.length - rebuilt.length,
    rebuilt_steps: rebuilt.length,
    reinstalled: rebuilt.some((x) => isDependencyInstall(x.instruction)),
    touched_context: touch.touched,
    kinds: touch.kinds.join(' '),
    files_changed: c.files.length,
    context_files: [...touch.definition, ...touch.contextFiles].slice(0, 8).join(' '),
    push_bytes: b.pushBytes,
    image_bytes: b.imageBytes,
    image_id: b.o.ok ? b.o.imageId : '',
    rebuilt: rebuilt.map((x) => `${x.label} ${x.instruction}`).join('; '),
  };
}
