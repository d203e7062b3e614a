// The Docker Engine adapter: the only module that imports dockerode.
import { createRequire } from 'node:module';
import { PassThrough, Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';
import Docker from 'dockerode';
import tarFs from 'tar-fs';
import type {
  BuildOutcome, BuildRequest, ContainerSpec, Engine, EngineInfo, ImageFacts, PullOutcome, PushOutcome, RegistryAuth,
} from './engine.ts';
import { LegacyStepParser, VertexCollector, dockerfileStages, stepsFromVertices, type TraceVertex } from './build-trace.ts';
import { ProgressTracker } from './progress.ts';
import { openSecretSession, type BuildSession } from './build-session.ts';
import type { SecretSource } from '../types.ts';
import { sentFiles } from '../dockerfile/context-size.ts';

const require = createRequire(import.meta.url);
// BuildKit's progress arrives as base64 protobuf (moby.buildkit.v1.StatusResponse); dockerode ships the schema.
const statusType = protobuf
  .loadSync(join(dirname(require.resolve('dockerode/package.json')), 'lib/proto/buildkit_status.proto'))
  .lookupType('moby.buildkit.v1.StatusResponse');

function decodeStatus(b64: string): { vertexes: TraceVertex[]; statuses: Array<{ ID: string; total: string }>; logs: Array<{ msg: string }> } {
  const msg = statusType.decode(Buffer.from(b64, 'base64'));
  return statusType.toObject(msg, { longs: String, bytes: String, defaults: true }) as ReturnType<typeof decodeStatus>;
}

const LOG_TAIL = 40;

/** The secrets' values, or why one cannot be read (naming its source, never a value). */
export function readSecrets(sources: Record<string, SecretSource>, env: NodeJS.ProcessEnv = process.env): Map<string, Buffer> | string {
  const values = new Map<string, Buffer>();
  for (const [id, src] of Object.entries(sources)) {
    if (src.env !== undefined) {
      const v = env[src.env];
      if (v === undefined) return `build secret '${id}': environment variable ${src.env} is not set (scenario.json build.secrets.${id}.env); export it before the run`;
      values.set(id, Buffer.from(v));
    } else if (src.file !== undefined) {
      try {
        values.set(id, readFileSync(src.file));
      } catch (err) {
        return `build secret '${id}': cannot read ${src.file} (scenario.json build.secrets.${id}.file): ${(err as NodeJS.ErrnoException).code ?? errorText(err)}`;
      }
    }
  }
  return values;
}

function stageOrder(contextDir: string, dockerfile: string): string[] {
  try {
    return dockerfileStages(readFileSync(join(contextDir, dockerfile), 'utf8'));
  } catch {
    return [];
  }
}

function splitJsonLines(onObject: (o: Record<string, unknown>) => void): (chunk: Buffer) => void {
  let buf = '';
  return (chunk) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line);
      } catch {
        o = { stream: line };
      }
      onObject(o);
    }
  };
}

function streamDone(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      (stream as Readable).destroy?.();
      reject(signal?.reason ?? new Error('aborted'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  });
}

/** The error a progress message carries ({"errorDetail":{"message":…},"error":…}), or ''. */
function streamErrorOf(o: Record<string, unknown>): string {
  const detail = o.errorDetail as { message?: string } | undefined;
  return detail?.message ?? (typeof o.error === 'string' ? o.error : '');
}

function errorText(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string; statusCode?: number };
  return e?.json?.message ?? e?.message ?? String(err);
}

export class DockerEngine implements Engine {
  constructor(
    private readonly docker: Docker,
    readonly address: string,
  ) {}

  static fromOptions(opts: Docker.DockerOptions, address: string): DockerEngine {
    return new DockerEngine(new Docker(opts), address);
  }

  async ping(): Promise<void> {
    await this.docker.ping();
  }

  async info(): Promise<EngineInfo> {
    const [info, version] = await Promise.all([this.docker.info(), this.docker.version()]);
    return {
      version: String(version.Version),
      apiVersion: String(version.ApiVersion),
      os: `${info.OperatingSystem} (${info.OSType}/${info.Architecture})`,
      kernel: String(info.KernelVersion),
      cpus: Number(info.NCPU),
      memoryBytes: Number(info.MemTotal),
      storageDriver: String(info.Driver),
      host: this.address,
      name: String(info.Name),
    };
  }

  async build(req: BuildRequest): Promise<BuildOutcome> {
    const log: string[] = [];
    const pushLog = (s: string) => {
      for (const l of s.split('\n')) if (l.trim()) log.push(l.trimEnd());
      if (log.length > LOG_TAIL * 4) log.splice(0, log.length - LOG_TAIL);
    };
    let entries: string[];
    try {
      entries = sentFiles(req.contextDir, req.dockerfile);
    } catch (err) {
      return { ok: false, error: `cannot read the build context ${req.contextDir}: ${errorText(err)}`, durationMs: 0, contextBytes: 0, steps: [], log };
    }
    // As the docker CLI sends a context: modes as they are on disk (no umask applied), owner 0:0. BuildKit keys
    // COPY by content, mode and owner, so this decides which file changes rebuild a step (docs/why.md).
    // tar-fs reads `umask` (its types leave it out).
    const packOptions: tarFs.PackOptions & { umask: number } = { entries, umask: 0, map: (h) => ({ ...h, uid: 0, gid: 0 }) };
    const tar = tarFs.pack(req.contextDir, packOptions);
    let contextBytes = 0;
    const counted = new PassThrough();
    tar.on('data', (c: unknown) => (contextBytes += (c as Buffer).length));
    tar.pipe(counted);
    let contextEnd: number | undefined;
    counted.on('end', () => (contextEnd = performance.now()));

    let secrets: Map<string, Buffer> | undefined;
    if (req.secrets && Object.keys(req.secrets).length > 0) {
      if (req.builder !== 'buildkit') {
        return { ok: false, error: 'scenario.json build.secrets need BuildKit; run with --builder buildkit', durationMs: 0, contextBytes: 0, steps: [], log };
      }
      const read = readSecrets(req.secrets);
      if (typeof read === 'string') return { ok: false, error: read, durationMs: 0, contextBytes: 0, steps: [], log };
      secrets = read;
    }
    const vertices = new VertexCollector();
    // BuildKit reports a download as a status whose id is the blob's digest, with the blob's total size.
    const downloads = new Map<string, number>();
    const legacy = new LegacyStepParser();
    let imageId = '';
    let streamError = '';
    let vertexError = '';
    const t0 = performance.now();
    let stream: NodeJS.ReadableStream;
    let session: BuildSession | undefined;
    try {
      // dockerode opens its own session for version '2' (credentials only); a build with secrets brings its own.
      if (secrets) session = await openSecretSession(this.docker, secrets);
      stream = await this.docker.buildImage(counted as unknown as NodeJS.ReadableStream, {
        t: req.tag,
        dockerfile: req.dockerfile,
        buildargs: req.buildArgs,
        labels: req.labels,
        networkmode: 'host',
        rm: true,
        forcerm: true,
        ...(req.target ? { target: req.target } : {}),
        ...(req.cacheFrom?.length ? { cachefrom: JSON.stringify(req.cacheFrom) } : {}),
        ...(session ? { version: 2, session: session.id } : req.builder === 'buildkit' ? { version: '2' } : { version: '1' }),
        abortSignal: req.signal,
      } as unknown as Docker.ImageBuildOptions);
    } catch (err) {
      session?.close();
      const durationMs = performance.now() - t0;
      return { ok: false, error: `the engine refused the build: ${errorText(err)}`, durationMs, contextBytes, steps: [], log };
    }
    stream.on(
      'data',
      splitJsonLines((o) => {
        const at = performance.now();
        if (typeof o.stream === 'string') {
          pushLog(o.stream);
          legacy.line(o.stream, at);
        }
        const aux = o.aux as { ID?: string } | undefined;
        if (o.id === 'moby.buildkit.trace' && typeof o.aux === 'string') {
          const status = decodeStatus(o.aux);
          for (const v of status.vertexes) {
            vertices.add(v);
            // A vertex can report an error BuildKit then recovers from (engine 20.10 marks the FROM of a local-only
            // image "not found" and builds on): the build's result is the stream's error message, not this.
            if (v.error) {
              vertexError ||= `${v.name}: ${v.error}`;
              pushLog(`[vertex error] ${v.name}: ${v.error}`);
            }
          }
          for (const st of status.statuses) {
            if (st.ID.startsWith('sha256:')) downloads.set(st.ID, Math.max(downloads.get(st.ID) ?? 0, Number(st.total) || 0));
          }
          for (const l of status.logs) pushLog(Buffer.from(l.msg, 'base64').toString('utf8'));
        } else if (o.id === 'moby.image.id' && aux?.ID) {
          imageId = aux.ID;
        } else if (aux?.ID) {
          imageId = aux.ID;
        }
        streamError = streamErrorOf(o) || streamError;
      }),
    );
    try {
      await streamDone(stream, req.signal);
    } catch (err) {
      streamError ||= `the build stream broke: ${errorText(err)}`;
    } finally {
      session?.close();
    }
    const durationMs = performance.now() - t0;
    const contextMs = contextEnd === undefined ? undefined : contextEnd - t0;
    const steps = req.builder === 'buildkit'
      ? stepsFromVertices(vertices.vertices(), stageOrder(req.contextDir, req.dockerfile))
      : legacy.finish(performance.now(), req.labels);
    const tail = log.slice(-LOG_TAIL);
    // Engine 20.10's BuildKit reports no download status for imported cache layers: no entry seen is unknown, not 0.
    const pulledBytes = req.builder === 'buildkit' && downloads.size > 0 ? [...downloads.values()].reduce((a, b) => a + b, 0) : undefined;
    const measured = { durationMs, contextBytes, contextMs, ...(pulledBytes === undefined ? {} : { pulledBytes }), steps, log: tail };
    if (streamError) return { ok: false, error: streamError.trim(), ...measured };
    if (!imageId) {
      const facts = await this.inspectImage(req.tag);
      imageId = facts?.id ?? '';
    }
    if (!imageId) return { ok: false, error: vertexError || 'the build stream ended without an image id', ...measured };
    return { ok: true, imageId, ...measured };
  }

  async inspectImage(ref: string): Promise<ImageFacts | undefined> {
    try {
      const i = await this.docker.getImage(ref).inspect();
      return {
        id: i.Id,
        sizeBytes: i.Size,
        layers: i.RootFS?.Layers?.length ?? 0,
        user: i.Config?.User ?? '',
        entrypoint: (i.Config?.Entrypoint as string[] | null) ?? [],
        cmd: (i.Config?.Cmd as string[] | null) ?? [],
        env: i.Config?.Env ?? [],
        labels: (i.Config?.Labels as Record<string, string> | null) ?? {},
        repoTags: i.RepoTags ?? [],
        repoDigests: i.RepoDigests ?? [],
      };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /**
   * Removes every image carrying the labels. The legacy builder labels its intermediate images too, and an image
   * with children cannot go before them, so removal goes round until nothing more can be removed.
   */
  async removeImagesWithLabels(labels: Record<string, string>): Promise<number> {
    let removed = 0;
    for (;;) {
      const ids = await this.imagesWithLabels(labels);
      let progress = 0;
      for (const id of ids) {
        try {
          await this.docker.getImage(id).remove({ force: true, noprune: false });
          progress += 1;
        } catch (err) {
          const code = (err as { statusCode?: number }).statusCode;
          if (code !== 404 && code !== 409) throw err;
        }
      }
      removed += progress;
      if (progress === 0 || ids.length === 0) return removed;
    }
  }

  async imagesWithLabels(labels: Record<string, string>): Promise<string[]> {
    // An empty value asks for the key alone: any image carrying that label.
    const label = Object.entries(labels).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
    const list = await this.docker.listImages({ all: true, filters: JSON.stringify({ label }) });
    return list.map((i) => i.Id);
  }

  /** Every image id on this engine (for emptying a deploy target). */
  async allImageIds(): Promise<string[]> {
    return (await this.docker.listImages({ all: false })).map((i) => i.Id);
  }

  async removeImage(ref: string): Promise<void> {
    await ignoreMissing(this.docker.getImage(ref).remove({ force: true, noprune: false }));
  }

  async pruneBuildCache(): Promise<void> {
    await this.docker.pruneBuilder({ filters: JSON.stringify({}), all: true } as object);
    // dockerode's pruneBuilder drops unknown query keys on some versions; ask the API directly to be sure.
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.dial(
        { path: '/build/prune?all=true', method: 'POST', statusCodes: { 200: true, 500: 'server error' }, options: {} },
        (err: unknown) => (err ? reject(err) : resolve()),
      ),
    );
  }

  async buildCacheUsage(): Promise<{ records: number; bytes: number }> {
    const df = (await this.docker.df()) as { BuildCache?: Array<{ Size?: number }> | null };
    const records = df.BuildCache ?? [];
    return { records: records.length, bytes: records.reduce((a, r) => a + (r.Size ?? 0), 0) };
  }

  async tagImage(ref: string, repo: string, tag: string): Promise<void> {
    await this.docker.getImage(ref).tag({ repo, tag });
  }

  /** Follows a push or pull stream to its end: which layers moved, the pushed digest, and any error it carried. */
  private async transfer(open: () => Promise<NodeJS.ReadableStream>, signal: AbortSignal | undefined) {
    const tracker = new ProgressTracker();
    let error = '';
    let digest = '';
    const t0 = performance.now();
    try {
      const stream = await open();
      stream.on(
        'data',
        splitJsonLines((o) => {
          tracker.event(o);
          error = streamErrorOf(o) || error;
          const aux = o.aux as { Digest?: string } | undefined;
          if (aux?.Digest) digest = aux.Digest;
        }),
      );
      await streamDone(stream, signal);
    } catch (err) {
      error ||= errorText(err);
    }
    return { error, digest, durationMs: performance.now() - t0, moved: tracker.summary() };
  }

  async push(ref: string, auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<PushOutcome> {
    // Engines before 23 refuse a push without an X-Registry-Auth header, even an empty one.
    const t = await this.transfer(() => this.docker.getImage(ref).push({ authconfig: auth ?? {}, abortSignal: signal } as object), signal);
    const { bytes, transferred, skipped, transferredIds } = t.moved;
    return { ok: !t.error, error: t.error, durationMs: t.durationMs, transferBytes: bytes, pushedLayers: transferred, skippedLayers: skipped, digest: t.digest, transferredIds };
  }

  async pull(ref: string, auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<PullOutcome> {
    const t = await this.transfer(() => this.docker.pull(ref, { authconfig: auth ?? {}, abortSignal: signal } as object), signal);
    const { bytes, transferred, skipped, transferredIds } = t.moved;
    return { ok: !t.error, error: t.error, durationMs: t.durationMs, transferBytes: bytes, downloadedLayers: transferred, presentLayers: skipped, transferredIds };
  }

  async saveImage(ref: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getImage(ref).get();
  }

  async startContainer(spec: ContainerSpec): Promise<string> {
    const c = await this.docker.createContainer({
      Image: spec.image,
      name: spec.name,
      Env: spec.env,
      Labels: spec.labels,
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      HostConfig: { NetworkMode: 'host', AutoRemove: false, ...(spec.extraHosts?.length ? { ExtraHosts: spec.extraHosts } : {}) },
    });
    await c.start();
    return c.id;
  }

  async containerState(id: string): Promise<{ running: boolean; exitCode: number | null }> {
    const i = await this.docker.getContainer(id).inspect();
    return { running: i.State.Running, exitCode: i.State.Running ? null : i.State.ExitCode };
  }

  async containerLogs(id: string, tail: number): Promise<string> {
    const buf = (await this.docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
    return demuxLogs(buf);
  }

  async removeContainer(id: string): Promise<void> {
    await ignoreMissing(this.docker.getContainer(id).remove({ force: true, v: true }));
  }

  async exec(id: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
    const e = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await e.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await streamDone(stream);
    const info = await e.inspect();
    return { exitCode: info.ExitCode ?? -1, output: demuxLogs(Buffer.concat(chunks)) };
  }

  async labelled(key: string): Promise<Array<{ kind: 'container' | 'image'; id: string; value: string; name?: string }>> {
    const filters = JSON.stringify({ label: [key] });
    const [containers, images] = await Promise.all([this.docker.listContainers({ all: true, filters }), this.docker.listImages({ all: true, filters })]);
    return [
      ...containers.map((c) => ({ kind: 'container' as const, id: c.Id, value: c.Labels?.[key] ?? '', name: c.Names?.[0]?.replace(/^\//, '') })),
      ...images.map((i) => ({ kind: 'image' as const, id: i.Id, value: i.Labels?.[key] ?? '' })),
    ];
  }

  async containersWithLabels(labels: Record<string, string>): Promise<string[]> {
    const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const list = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
    return list.map((c) => c.Id);
  }
}

/** Removing what is already gone is done. */
async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}

/** Docker multiplexes stdout and stderr in 8-byte-header frames when the container has no TTY. */
export function demuxLogs(buf: Buffer): string {
  const out: string[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len).toString('utf8'));
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : out.join('');
}

