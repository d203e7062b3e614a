// The build phases: build-cold, build-warm, build-warm-src, build-warm-deps (docs/ARCHITECTURE.md).
import { isAbsolute, join, resolve } from 'node:path';
import { buildWithTimeout } from '../engine/build-with-timeout.ts';
import type { BuildOutcome, BuildRequest, Engine } from '../engine/engine.ts';
import { scenarioImages } from '../profile/profile.ts';
import { contextOf } from '../scenario/build-context.ts';
import type { Workspace } from '../scenario/workspace.ts';
import type { BuilderKind, PhaseName, Profile, Scenario, SecretSource } from '../types.ts';
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT, imageRef } from '../engine/labels.ts';
import type { NpmRoute } from '../npm-proxy/npm-route.ts';
import { fetchedPackages, isNpmInstall, NPMRC_SECRET, REGISTRY_ARG } from '../npm-proxy/route.ts';
import { changedImages } from './changed-images.ts';
import { ChangeCauses } from '../why/in-run.ts';
import { failed, Preparation, withCauses, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';

export function buildRequest(opts: {
  runId: string; profile: Profile; builder: BuilderKind; scenario: Scenario; variant: string; contextDir: string; signal?: AbortSignal; npm?: NpmRoute;
}): BuildRequest {
  const v = opts.scenario.variants[opts.variant];
  // The registry reaches the build as the Dockerfile asks (a build arg or the npmrc secret), read from the scenario's
  // own Dockerfile: neither it nor the lockfile is edited.
  const npm = opts.npm?.forDockerfile(join(opts.scenario.dir, v.dockerfile));
  const own = scenarioSecrets(opts.scenario);
  const secrets = own || (npm && Object.keys(npm.secrets).length) ? { ...own, ...npm?.secrets } : undefined;
  return {
    ...contextOf(opts.scenario, opts.contextDir, v.dockerfile),
    tag: imageRef(opts.scenario.name, opts.variant).ref,
    // The profile's base images win: a scenario cannot turn a run on stand-ins into one on other images by accident.
    buildArgs: { ...opts.scenario.build?.args, ...npm?.buildArgs, ...scenarioImages(opts.profile, opts.scenario) },
    ...(secrets ? { secrets } : {}),
    ...(v.target ? { target: v.target } : {}),
    builder: opts.builder,
    labels: { [LABEL_RUN]: opts.runId, [LABEL_SCENARIO]: opts.scenario.name, [LABEL_VARIANT]: opts.variant },
    signal: opts.signal,
  };
}

/** scenario.json's build secrets with file paths made absolute (relative ones are from the scenario folder). */
export function scenarioSecrets(scenario: Scenario): Record<string, SecretSource> | undefined {
  const entries = Object.entries(scenario.build?.secrets ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([id, s]) => [
    id,
    s.file !== undefined ? { file: isAbsolute(s.file) ? s.file : resolve(scenario.dir, s.file) } : { env: s.env },
  ]));
}

/** The plain docker command that reproduces a variant's build by hand (run.json). */
export function dockerBuildCommand(req: BuildRequest): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = [req.builder === 'buildkit' ? 'DOCKER_BUILDKIT=1' : 'DOCKER_BUILDKIT=0', 'docker', 'build', '--network', 'host'];
  for (const [k, v] of Object.entries(req.buildArgs)) parts.push('--build-arg', q(`${k}=${v}`));
  // Where each secret comes from, never its value.
  for (const [id, s] of Object.entries(req.secrets ?? {})) parts.push('--secret', q(s.file !== undefined ? `id=${id},src=${s.file}` : `id=${id},env=${s.env}`));
  if (req.target) parts.push('--target', q(req.target));
  parts.push('-f', q(`${req.contextDir}/${req.dockerfile}`), '-t', q(req.tag), q(req.contextDir));
  return parts.join(' ');
}

/** Every image built from this scenario, by any run: they hold layers a cold build must not reuse. */
export async function removeScenarioImages(engine: Engine, scenario: string): Promise<void> {
  await engine.removeImagesWithLabels({ [LABEL_SCENARIO]: scenario });
}

function stepCounts(outcome: BuildOutcome): { steps: number; cached_steps: number } {
  return { steps: outcome.steps.length, cached_steps: outcome.steps.filter((s) => s.cached).length };
}

/** Whether a request was given the run's npm registry (a build arg or the npmrc secret). */
function routed(req: BuildRequest): boolean {
  return NPMRC_SECRET in (req.secrets ?? {}) || Object.keys(req.buildArgs).some((k) => k.toUpperCase() === REGISTRY_ARG);
}

/**
 * A build given the local proxy that installed packages must show requests in the proxy's log; none means npm went
 * around it (a registry set in the Dockerfile, an .npmrc in the context, a lockfile's other address).
 */
async function bypassCheck(ctx: RunContext, req: BuildRequest, mark: number | undefined, outcome: BuildOutcome): Promise<string> {
  const observe = ctx.npm?.observe;
  if (!observe || mark === undefined || !outcome.ok || !routed(req) || !fetchedPackages(outcome.steps)) return '';
  const requests = await observe.requestsSince(mark);
  if (requests > 0) return '';
  const steps = outcome.steps.filter((s) => !s.cached && isNpmInstall(s.instruction)).map((s) => `${s.label} ${s.instruction}`).join('; ');
  return `not through the proxy: ${steps} installed packages, but the npm proxy's log shows no request during the build; npm used another registry (one set in the Dockerfile or an .npmrc of the context?)`;
}

export async function measuredBuild(ctx: RunContext, req: BuildRequest, check: (o: BuildOutcome) => string): Promise<Measured> {
  const mark = ctx.npm?.observe?.mark();
  const outcome = await withTimeout(ctx, req);
  const counts = stepCounts(outcome);
  const base = { context_bytes: outcome.contextBytes, context_ms: outcome.contextMs ?? null, ...counts };
  if (!outcome.ok) {
    const tail = outcome.log.slice(-8).join('\n');
    return { ok: false, error: `build failed: ${outcome.error}${tail ? `\n${tail}` : ''}`, durationMs: outcome.durationMs, fields: base, steps: outcome.steps };
  }
  const facts = await ctx.engine.inspectImage(outcome.imageId);
  const fields = { ...base, image_id: outcome.imageId, image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null };
  const honesty = check(outcome) || (await bypassCheck(ctx, req, mark, outcome));
  return { ok: honesty === '', error: honesty, durationMs: outcome.durationMs, fields, steps: outcome.steps };
}

/** A build with the run's per-sample timeout. */
function withTimeout(ctx: RunContext, req: BuildRequest): Promise<BuildOutcome> {
  return buildWithTimeout(ctx.engine, req, ctx.timeoutMs, ctx.signal);
}

// Per workspace and variant, the image last built from the unchanged files. Every phase prepares from that image;
// when the variant's tag still names it, nothing has changed it since (a change is built under the same tag, and a
// cold build's preparation removes the images before it prunes the cache), so it is not built again.
const pristineBuilds = new WeakMap<Workspace, Map<string, string>>();

/**
 * Untimed: makes sure the variant's image exists, built from the workspace as it is now. `reuse: false` for a
 * workspace whose files change outside its own change methods (the .dockerignore phases park that file).
 */
export async function ensureBuilt(ctx: RunContext, slot: SampleSlot, opts: { reuse?: boolean } = {}): Promise<string> {
  const ws = slot.workspace;
  const reuse = opts.reuse !== false && ws.pristine;
  const known = reuse ? pristineBuilds.get(ws)?.get(slot.variant) : undefined;
  if (known && (await ctx.engine.inspectImage(imageRef(slot.scenario.name, slot.variant).ref))?.id === known) return known;
  const req = buildRequest({ ...ctx, scenario: slot.scenario, variant: slot.variant, contextDir: ws.dir, signal: ctx.signal });
  const outcome = await withTimeout(ctx, req);
  if (!outcome.ok) throw new Error(`preparing ${slot.scenario.name}/${slot.variant}: build failed: ${outcome.error}`);
  if (reuse) {
    const mine = pristineBuilds.get(ws) ?? new Map<string, string>();
    mine.set(slot.variant, outcome.imageId);
    pristineBuilds.set(ws, mine);
  }
  return outcome.imageId;
}

function notCold(o: BuildOutcome): string {
  const cached = o.steps.filter((s) => s.cached);
  if (cached.length === 0) return '';
  return `not cold: ${cached.length} of ${o.steps.length} steps came from the cache (${cached.map((s) => `${s.label} ${s.instruction}`).join('; ')}); something still holds this scenario's layers`;
}

function notWarm(o: BuildOutcome): string {
  const rebuilt = o.steps.filter((s) => !s.cached);
  if (rebuilt.length === 0) return '';
  return `not warm: ${rebuilt.length} of ${o.steps.length} steps were rebuilt with nothing changed (${rebuilt.map((s) => `${s.label} ${s.instruction}`).join('; ')})`;
}

let markerSeq = 0;
/** A line no build has seen: a sample's change is new to the cache. */
export function sourceMarker(runId: string, iteration: number): string {
  markerSeq += 1;
  return `stagebench ${runId} ${iteration}.${markerSeq} ${Date.now()}`;
}

export function buildPhase(ctx: RunContext, slot: SampleSlot, phase: PhaseName): PhaseHandler {
  const ws: Workspace = slot.workspace;
  const req = () => buildRequest({ ...ctx, scenario: slot.scenario, variant: slot.variant, contextDir: ws.dir, signal: ctx.signal });
  const prep = new Preparation(ctx.signal);
  const guard = (fn: () => Promise<void>) => prep.run(fn);
  const measure = (check: (o: BuildOutcome) => string) => async (): Promise<Measured> =>
    prep.error ? failed(prep.error) : measuredBuild(ctx, req(), check);

  // Built from the unchanged files (untimed), then changed: the timed build sees a change new to the cache. A source
  // change's image is kept for push-warm and pull-warm (changed-images.ts), on top of the unchanged image `base`.
  const warmAfterChange = (apply: (marker: string) => void, keep: boolean): PhaseHandler => {
    let base = '';
    const causes = new ChangeCauses(req);
    return {
      prepare: (i) => guard(async () => {
        ws.restore();
        base = await ensureBuilt(ctx, slot);
        causes.beforeChange();
        apply(sourceMarker(ctx.runId, i));
        causes.afterChange();
      }),
      measure: async () => {
        const m = withCauses(await measure(() => '')(), causes, ctx.log);
        return keep ? changedImages.offerMeasured(ws, slot.variant, 'built', m, base) : m;
      },
      after: async () => ws.restore(),
    };
  };

  switch (phase) {
    case 'build-cold':
      return {
        prepare: () =>
          guard(async () => {
            ws.restore();
            await removeScenarioImages(ctx.engine, slot.scenario.name);
            await ctx.engine.pruneBuildCache();
          }),
        measure: measure(notCold),
      };
    case 'build-warm':
      return {
        prepare: () => guard(async () => {
          ws.restore();
          await ensureBuilt(ctx, slot);
        }),
        measure: measure(notWarm),
      };
    case 'build-warm-src':
      return warmAfterChange((m) => ws.applySourceChange(m), true);
    case 'build-warm-deps':
      return warmAfterChange((m) => ws.applyDependencyChange(m), false);
    default:
      throw new Error(`buildPhase: ${phase} is not a build phase`);
  }
}
