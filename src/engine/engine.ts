// What stagebench needs from a container engine. DockerEngine (docker-engine.ts) is the one implementation.
import type { BuilderKind, SecretSource } from '../types.ts';

export interface EngineInfo {
  version: string;
  apiVersion: string;
  os: string;
  kernel: string;
  cpus: number;
  memoryBytes: number;
  storageDriver: string;
  /** Where the engine is: the socket path or DOCKER_HOST URL. */
  host: string;
  /** The engine's own name for its machine. */
  name: string;
}

export interface BuildRequest {
  contextDir: string;
  /** Dockerfile path relative to contextDir. */
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  target?: string;
  builder: BuilderKind;
  labels: Record<string, string>;
  /** BuildKit secrets by id; a file path here is absolute. Read when the build starts, never recorded. */
  secrets?: Record<string, SecretSource>;
  /** Images whose cache metadata the build may import (`--cache-from`; BuildKit reads inline cache from them). */
  cacheFrom?: string[];
  signal?: AbortSignal;
}

/** One step of a build as the builder reported it. */
export interface BuildStep {
  /** "[builder 3/6]" for BuildKit, "[3/7]" for the legacy builder. */
  label: string;
  instruction: string;
  cached: boolean;
  durationMs: number | null;
  error?: string;
}

/** contextMs: from the start of the build request until the engine had read the whole context, where known. */
/** pulledBytes: bytes BuildKit reported downloading (layers of a cache-from image), where it reported any. */
export type BuildOutcome =
  | { ok: true; imageId: string; durationMs: number; contextBytes: number; contextMs?: number; pulledBytes?: number; steps: BuildStep[]; log: string[] }
  | { ok: false; error: string; durationMs: number; contextBytes: number; contextMs?: number; pulledBytes?: number; steps: BuildStep[]; log: string[] };

export interface ImageFacts {
  id: string;
  sizeBytes: number;
  layers: number;
  user: string;
  entrypoint: string[];
  cmd: string[];
  env: string[];
  labels: Record<string, string>;
  repoTags: string[];
  repoDigests: string[];
}

export interface PushOutcome {
  ok: boolean;
  error: string;
  durationMs: number;
  /** Bytes of the layers actually uploaded (those reported "Pushed"). */
  transferBytes: number;
  /** Layers already present in the registry ("Layer already exists", "Mounted from"). */
  skippedLayers: number;
  pushedLayers: number;
  digest: string;
  /** 12-character diff id prefixes of the layers uploaded. */
  transferredIds: string[];
}

export interface PullOutcome {
  ok: boolean;
  error: string;
  durationMs: number;
  /** Bytes of the layers downloaded. */
  transferBytes: number;
  downloadedLayers: number;
  /** Layers the engine already had ("Already exists"). */
  presentLayers: number;
  /** 12-character blob digest prefixes of the layers downloaded. */
  transferredIds: string[];
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress: string;
}

export interface ContainerSpec {
  image: string;
  name: string;
  env: string[];
  labels: Record<string, string>;
  /** Replaces the image's CMD. */
  cmd?: string[];
  /** HOST:IP lines for the container's /etc/hosts (a service's name on 127.0.0.1). */
  extraHosts?: string[];
}

export interface Engine {
  /** Where the engine answers, for rows and messages. */
  readonly address: string;
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;
  build(req: BuildRequest): Promise<BuildOutcome>;
  inspectImage(ref: string): Promise<ImageFacts | undefined>;
  /** Image ids carrying every label given (key=value). */
  imagesWithLabels(labels: Record<string, string>): Promise<string[]>;
  removeImage(ref: string): Promise<void>;
  /** Removes every image carrying all the labels (children before parents); returns how many went. */
  removeImagesWithLabels(labels: Record<string, string>): Promise<number>;
  /** Every image id on the engine. */
  allImageIds(): Promise<string[]>;
  /** Removes all BuildKit build cache (docker builder prune -af). */
  pruneBuildCache(): Promise<void>;
  /** Build cache records the builder holds and their bytes (docker system df). */
  buildCacheUsage(): Promise<{ records: number; bytes: number }>;
  tagImage(ref: string, repo: string, tag: string): Promise<void>;
  push(ref: string, auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<PushOutcome>;
  pull(ref: string, auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<PullOutcome>;
  /** The `docker save` tar stream of an image. */
  saveImage(ref: string): Promise<NodeJS.ReadableStream>;
  startContainer(spec: ContainerSpec): Promise<string>;
  containerState(id: string): Promise<{ running: boolean; exitCode: number | null }>;
  containerLogs(id: string, tail: number): Promise<string>;
  removeContainer(id: string): Promise<void>;
  /** Runs a command inside a running container; its exit code and output. */
  exec(id: string, cmd: string[]): Promise<{ exitCode: number; output: string }>;
  /** Containers and images carrying a label key, with that label's value. */
  labelled(key: string): Promise<Array<{ kind: 'container' | 'image'; id: string; value: string; name?: string }>>;
  /** Container ids carrying every label given. */
  containersWithLabels(labels: Record<string, string>): Promise<string[]>;
}
