// An Engine held in memory, for unit tests of the runner, the phases and tune's measurement loop without Docker (as
// hyperfine tests its benchmark loop with a mock executor). It implements src/engine/engine.ts's Engine, the interface
// DockerEngine implements; it is not a mock of dockerode. Integration tests keep the real engine.
//
// What it models: a build reads the Dockerfile and the context and keeps a build cache of step keys (the instruction,
// what came before it, and the content of the files a COPY takes), so cold, warm and changed builds report cached and
// rebuilt steps as BuildKit would; images with tags and labels; a registry of layers for push and pull; containers
// that are HTTP servers in this process answering on the PORT they are given. Durations are fixed, not measured.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import type {
  BuildOutcome, BuildRequest, BuildStep, ContainerSpec, Engine, EngineInfo, ImageFacts, PullOutcome, PushOutcome,
  RegistryAuth,
} from '../../src/engine/engine.ts';

export interface MemoryEngineOptions {
  /** ms an uncached step reports (a cached one reports 0). */
  stepMs?: number;
  /** Bytes each layer of an image adds. */
  layerBytes?: number;
  /** An error for a build that should fail (checked before it starts), or undefined. */
  failBuild?: (req: BuildRequest) => string | undefined;
  /** What a container of this image answers to every request. */
  respond?: (image: string) => { status: number; body: string };
}

interface MemoryImage {
  id: string;
  tags: Set<string>;
  labels: Record<string, string>;
  layerIds: string[];
}

interface MemoryContainer {
  id: string;
  image: string;
  labels: Record<string, string>;
  server?: Server;
}

interface Instruction {
  keyword: string;
  args: string;
  text: string;
}

interface Stage {
  name: string;
  base: string;
  steps: Instruction[];
}

const STEP_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
const LAYER_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** Instructions with continuation lines joined, comments and blank lines left out. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => {
    const [keyword, ...rest] = l.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' '), text: l };
  });
}

/** Stages up to the target (all without one); ARG defaults before the first FROM fill `${NAME}` in FROM lines. */
function stages(text: string, buildArgs: Record<string, string>, target?: string): Stage[] {
  const args: Record<string, string> = {};
  const out: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'ARG' && out.length === 0) {
      const [name, value = ''] = ins.args.split('=');
      args[name] = buildArgs[name] ?? value;
    } else if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const base = words[0].replace(/\$\{?(\w+)\}?/g, (_, n: string) => args[n] ?? '');
      out.push({ name: words[2] ?? '', base, steps: [] });
    } else if (STEP_KEYWORDS.has(ins.keyword) && out.length > 0) {
      out.at(-1)!.steps.push(ins);
    }
  }
  const end = target ? out.findIndex((s) => s.name === target) : -1;
  return end >= 0 ? out.slice(0, end + 1) : out;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Files of one folder a `*` pattern names (package*.json). */
function matching(contextDir: string, pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = join(contextDir, pattern.slice(0, slash + 1));
  const name = new RegExp(`^${pattern.slice(slash + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return existsSync(dir) ? readdirSync(dir).filter((f) => name.test(f)).map((f) => join(dir, f)) : [];
}

/** The content a COPY or ADD from the context takes: every file under each source, by path and bytes. */
function copiedContent(contextDir: string, ins: Instruction): string {
  const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
  const sources = words.slice(0, -1);
  return sources
    .flatMap((s) => (s.includes('*') ? matching(contextDir, s) : filesUnder(join(contextDir, s))))
    .sort()
    .map((f) => `${relative(contextDir, f)}:${hash(readFileSync(f, 'latin1'))}`)
    .join(',');
}

function hasLabels(have: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

export class MemoryEngine implements Engine {
  readonly address = 'memory://engine';
  readonly images = new Map<string, MemoryImage>();
  readonly cache = new Set<string>();
  /** Every build request, in order. */
  readonly builds: BuildRequest[] = [];
  /** Image references pushed to the registry, with their layers; shared between engines to model push then pull. */
  readonly registry: Map<string, string[]>;
  private readonly containers = new Map<string, MemoryContainer>();
  private seq = 0;

  constructor(
    private readonly options: MemoryEngineOptions = {},
    registry?: Map<string, string[]>,
  ) {
    this.registry = registry ?? new Map();
  }

  async ping(): Promise<void> {}

  async info(): Promise<EngineInfo> {
    return { version: 'memory', apiVersion: '1.41', os: 'linux', kernel: 'memory', cpus: 2, memoryBytes: 2 ** 30, storageDriver: 'memory', host: this.address, name: 'memory' };
  }

  async build(req: BuildRequest): Promise<BuildOutcome> {
    this.builds.push(req);
    const contextBytes = filesUnder(req.contextDir).reduce((n, f) => n + statSync(f).size, 0);
    const fail = (error: string, steps: BuildStep[] = []): BuildOutcome => ({ ok: false, error, durationMs: 0, contextBytes, steps, log: [error] });
    if (req.signal?.aborted) return fail(`build aborted: ${String(req.signal.reason)}`);
    const injected = this.options.failBuild?.(req);
    if (injected) return fail(injected);
    const file = join(req.contextDir, req.dockerfile);
    if (!existsSync(file)) return fail(`no Dockerfile at ${file}`);
    const stepMs = this.options.stepMs ?? 100;
    const steps: BuildStep[] = [];
    const stageKeys = new Map<string, string>();
    const stageLayers = new Map<string, string[]>();
    let last = { key: '', layers: [] as string[] };
    const all = stages(readFileSync(file, 'utf8'), req.buildArgs, req.target);
    for (const stage of all) {
      let key = stageKeys.get(stage.base) ?? hash('FROM', stage.base);
      const layers = [...(stageLayers.get(stage.base) ?? [hash('base', stage.base)])];
      stage.steps.forEach((ins, i) => {
        const from = /--from=(\S+)/.exec(ins.args)?.[1];
        const input = from !== undefined ? (stageKeys.get(from) ?? hash('image', from)) : LAYER_KEYWORDS.has(ins.keyword) && ins.keyword !== 'RUN' ? copiedContent(req.contextDir, ins) : '';
        key = hash(key, ins.text, input);
        const cached = this.cache.has(key);
        this.cache.add(key);
        if (LAYER_KEYWORDS.has(ins.keyword)) layers.push(key.slice(0, 12));
        steps.push({ label: `[${stage.name ? `${stage.name} ` : ''}${i + 2}/${stage.steps.length + 1}]`, instruction: ins.text, cached, durationMs: cached ? 0 : stepMs });
      });
      if (stage.name) {
        stageKeys.set(stage.name, key);
        stageLayers.set(stage.name, layers);
      }
      last = { key, layers };
    }
    const id = `sha256:${hash('image', last.key, JSON.stringify(req.labels))}`;
    for (const image of this.images.values()) image.tags.delete(req.tag);
    const image = this.images.get(id) ?? { id, tags: new Set<string>(), labels: { ...req.labels }, layerIds: last.layers };
    image.tags.add(req.tag);
    this.images.set(id, image);
    return { ok: true, imageId: id, durationMs: steps.reduce((n, s) => n + (s.durationMs ?? 0), 0), contextBytes, steps, log: [] };
  }

  private find(ref: string): MemoryImage | undefined {
    const tag = ref.includes(':') || ref.startsWith('sha256:') ? ref : `${ref}:latest`;
    return this.images.get(ref) ?? [...this.images.values()].find((i) => i.tags.has(tag));
  }

  async inspectImage(ref: string): Promise<ImageFacts | undefined> {
    const image = this.find(ref);
    if (!image) return undefined;
    const bytes = this.options.layerBytes ?? 1_000_000;
    return {
      id: image.id, sizeBytes: image.layerIds.length * bytes, layers: image.layerIds.length, user: '', entrypoint: [], cmd: ['node', 'app.js'],
      env: [], labels: image.labels, repoTags: [...image.tags], repoDigests: [],
    };
  }

  async imagesWithLabels(labels: Record<string, string>): Promise<string[]> {
    return [...this.images.values()].filter((i) => hasLabels(i.labels, labels)).map((i) => i.id);
  }

  async removeImage(ref: string): Promise<void> {
    const image = this.find(ref);
    if (image) this.images.delete(image.id);
  }

  async removeImagesWithLabels(labels: Record<string, string>): Promise<number> {
    const ids = await this.imagesWithLabels(labels);
    for (const id of ids) this.images.delete(id);
    return ids.length;
  }

  async allImageIds(): Promise<string[]> {
    return [...this.images.keys()];
  }

  async pruneBuildCache(): Promise<void> {
    this.cache.clear();
  }

  async buildCacheUsage(): Promise<{ records: number; bytes: number }> {
    return { records: this.cache.size, bytes: this.cache.size * 1000 };
  }

  async tagImage(ref: string, repo: string, tag: string): Promise<void> {
    const image = this.find(ref);
    if (!image) throw new Error(`no such image: ${ref}`);
    image.tags.add(`${repo}:${tag}`);
  }

  async push(ref: string, _auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<PushOutcome> {
    const image = this.find(ref);
    const none = { durationMs: 0, transferBytes: 0, skippedLayers: 0, pushedLayers: 0, digest: '', transferredIds: [] };
    if (signal?.aborted) return { ok: false, error: 'push aborted', ...none };
    if (!image) return { ok: false, error: `An image does not exist locally with the tag: ${ref}`, ...none };
    const stored = new Set([...this.registry.values()].flat());
    const sent = image.layerIds.filter((l) => !stored.has(l));
    this.registry.set(ref, image.layerIds);
    const bytes = this.options.layerBytes ?? 1_000_000;
    return {
      ok: true, error: '', durationMs: sent.length * (this.options.stepMs ?? 100), transferBytes: sent.length * bytes,
      skippedLayers: image.layerIds.length - sent.length, pushedLayers: sent.length, digest: `sha256:${hash('manifest', ...image.layerIds)}`, transferredIds: sent,
    };
  }

  async pull(ref: string, _auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<PullOutcome> {
    const none = { durationMs: 0, transferBytes: 0, downloadedLayers: 0, presentLayers: 0, transferredIds: [] };
    if (signal?.aborted) return { ok: false, error: 'pull aborted', ...none };
    const layers = this.registry.get(ref);
    if (!layers) return { ok: false, error: `manifest for ${ref} not found`, ...none };
    const present = new Set([...this.images.values()].flatMap((i) => i.layerIds));
    const fetched = layers.filter((l) => !present.has(l));
    const id = `sha256:${hash('pulled', ...layers)}`;
    const image = this.images.get(id) ?? { id, tags: new Set<string>(), labels: {}, layerIds: layers };
    image.tags.add(ref);
    this.images.set(id, image);
    const bytes = this.options.layerBytes ?? 1_000_000;
    return {
      ok: true, error: '', durationMs: fetched.length * (this.options.stepMs ?? 100), transferBytes: fetched.length * bytes,
      downloadedLayers: fetched.length, presentLayers: layers.length - fetched.length, transferredIds: fetched,
    };
  }

  async saveImage(ref: string): Promise<NodeJS.ReadableStream> {
    if (!this.find(ref)) throw new Error(`no such image: ${ref}`);
    return Readable.from([]);
  }

  /** A container is an HTTP server in this process on the PORT (and HOST) of its environment. */
  async startContainer(spec: ContainerSpec): Promise<string> {
    if (!this.find(spec.image)) throw new Error(`No such image: ${spec.image}`);
    const id = hash('container', String(++this.seq)).slice(0, 12);
    const env = Object.fromEntries(spec.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const answer = this.options.respond?.(spec.image) ?? { status: 200, body: 'ok' };
    const container: MemoryContainer = { id, image: spec.image, labels: spec.labels };
    if (env.PORT) {
      const server = createServer((_req, res) => {
        res.statusCode = answer.status;
        res.end(answer.body);
      });
      await new Promise<void>((resolve) => server.listen(Number(env.PORT), env.HOST ?? '127.0.0.1', resolve));
      container.server = server;
    }
    this.containers.set(id, container);
    return id;
  }

  async containerState(id: string): Promise<{ running: boolean; exitCode: number | null }> {
    const c = this.containers.get(id);
    return c?.server ? { running: true, exitCode: null } : { running: false, exitCode: c ? 1 : null };
  }

  async containerLogs(): Promise<string> {
    return '';
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    this.containers.delete(id);
    if (c?.server) {
      c.server.closeAllConnections();
      await new Promise<void>((resolve) => c.server!.close(() => resolve()));
    }
  }

  /** A command in a container answers 0 while the container runs. */
  async exec(id: string): Promise<{ exitCode: number; output: string }> {
    return this.containers.get(id)?.server ? { exitCode: 0, output: '' } : { exitCode: 1, output: 'not running' };
  }

  async labelled(key: string): Promise<Array<{ kind: 'container' | 'image'; id: string; value: string }>> {
    return [
      ...[...this.containers.values()].filter((c) => key in c.labels).map((c) => ({ kind: 'container' as const, id: c.id, value: c.labels[key] })),
      ...[...this.images.values()].filter((i) => key in i.labels).map((i) => ({ kind: 'image' as const, id: i.id, value: i.labels[key] })),
    ];
  }

  async containersWithLabels(labels: Record<string, string>): Promise<string[]> {
    return [...this.containers.values()].filter((c) => hasLabels(c.labels, labels)).map((c) => c.id);
  }

  /** Containers still there: a test's check that nothing was left behind. */
  containerCount(): number {
    return this.containers.size;
  }
}
