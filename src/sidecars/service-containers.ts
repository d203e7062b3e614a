// The containers a run starts beside the app for the run phase (scenario.json run.services): started untimed before
// a variant's samples (or each sample's, per_sample), waited for until ready, stopped after. Host networking, as every
// container of the run: each service listens on 127.0.0.1 at its port, the app resolves its name through an extra
// host entry (docs/services.md says why no private network).
import { connect } from 'node:net';
import type { Engine } from '../engine/engine.ts';
import { LABEL_RUN, LABEL_SCENARIO, LABEL_SERVICE, LABEL_VARIANT } from '../engine/labels.ts';
import { freePort } from '../net/free-port.ts';
import { choosesPort, DEFAULT_READY_TIMEOUT_MS, hostEntries, serviceCommand, serviceEnv } from '../scenario/services.ts';
import type { Scenario, ServiceSpec } from '../types.ts';
import { formatDuration } from '../units.ts';

/** What the app needs to reach its services in this run. */
export interface UpServices {
  /** Service name -> the port it listens on, for run.env's {{services.NAME.port}}. */
  ports: Record<string, number>;
  /** The app container's extra host entries. */
  hosts: string[];
}

/** run.json's record of one service start: how long until it was ready (preparation, not the app's start-up). */
export interface ServiceStart {
  scenario: string;
  variant: string;
  service: string;
  image: string;
  port: number;
  ready_ms: number;
}

interface Running {
  id: string;
  port: number;
  spec: ServiceSpec;
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export class ServiceContainers {
  private readonly running = new Map<string, Map<string, Running>>();
  /** Every start of the run, for run.json. */
  readonly starts: ServiceStart[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly runId: string,
    private readonly signal: AbortSignal,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Why an image cannot be used, or undefined when it is on the engine or could be pulled now (untimed). Pulled once:
   * a missing image is asked for again only by a later run.
   */
  async imageProblem(image: string): Promise<string | undefined> {
    try {
      if (await this.engine.inspectImage(image)) return undefined;
      this.log(`stagebench: pulling service image ${image} (untimed) ...`);
      const pulled = await this.engine.pull(image, undefined, this.signal);
      if (pulled.ok) return undefined;
      return `image ${image} is not on the engine and cannot be pulled (${pulled.error.split('\n')[0].slice(0, 160)})`;
    } catch (err) {
      return `image ${image} could not be looked up or pulled (${(err as Error).message.split('\n')[0].slice(0, 160)})`;
    }
  }

  /** Starts the scenario's services the variant does not have running yet, and waits until each is ready. */
  async up(scenario: Scenario, variant: string): Promise<UpServices> {
    const specs = scenario.run?.services ?? {};
    const key = `${scenario.name}\u0000${variant}`;
    const mine = this.running.get(key) ?? new Map<string, Running>();
    this.running.set(key, mine);
    for (const [name, spec] of Object.entries(specs)) {
      if (mine.has(name)) continue;
      mine.set(name, await this.start(scenario, variant, name, spec, hostEntries(specs)));
    }
    return { ports: Object.fromEntries([...mine].map(([name, r]) => [name, r.port])), hosts: hostEntries(specs) };
  }

  /** After a sample: stops the services started per sample. */
  async afterSample(scenario: Scenario, variant: string): Promise<void> {
    await this.stop(`${scenario.name}\u0000${variant}`, (r) => r.spec.per_sample === true);
  }

  /** After the variant's run phase: stops all its services. */
  async down(scenario: Scenario, variant: string): Promise<void> {
    await this.stop(`${scenario.name}\u0000${variant}`, () => true);
  }

  /** Stops every service still running (end of the run, an interrupt); each is tried even when another fails. */
  async downAll(): Promise<void> {
    const results = await Promise.allSettled([...this.running.keys()].map((key) => this.stop(key, () => true)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async stop(key: string, which: (r: Running) => boolean): Promise<void> {
    const mine = this.running.get(key);
    if (!mine) return;
    for (const [name, r] of [...mine]) {
      if (!which(r)) continue;
      mine.delete(name);
      await this.engine.removeContainer(r.id);
    }
  }

  private async start(scenario: Scenario, variant: string, name: string, spec: ServiceSpec, hosts: string[]): Promise<Running> {
    const chosen = choosesPort(spec);
    const port = chosen ? await freePort() : spec.port;
    if (!chosen && (await tcpOpen(port))) {
      throw new Error(`service ${name}: port ${port} on 127.0.0.1 is in use already (by something other than this run); put {{port}} in run.services.${name}.env or .command so the harness chooses a free port (docs/services.md)`);
    }
    const t0 = performance.now();
    const id = await this.engine.startContainer({
      image: spec.image,
      name: `stagebench-${this.runId}-${scenario.name}-${variant}-svc-${name}-${Math.random().toString(36).slice(2, 8)}`,
      env: serviceEnv(spec, port),
      ...(spec.command ? { cmd: serviceCommand(spec, port) } : {}),
      extraHosts: hosts,
      labels: { [LABEL_RUN]: this.runId, [LABEL_SCENARIO]: scenario.name, [LABEL_VARIANT]: variant, [LABEL_SERVICE]: name },
    }).catch((err: Error) => {
      throw new Error(`service ${name}: could not start ${spec.image}: ${err.message}`);
    });
    const running: Running = { id, port, spec };
    try {
      await this.waitReady(name, running);
    } catch (err) {
      await this.engine.removeContainer(id).catch(() => undefined);
      throw err;
    }
    const readyMs = performance.now() - t0;
    this.starts.push({ scenario: scenario.name, variant, service: name, image: spec.image, port, ready_ms: Math.round(readyMs) });
    this.log(`${scenario.name} ${variant}: service ${name} (${spec.image}) ready on 127.0.0.1:${port} in ${formatDuration(readyMs)}: preparation, not in the app's start-up`);
    return running;
  }

  private async waitReady(name: string, r: Running): Promise<void> {
    const timeoutMs = r.spec.ready_timeout_ms ?? DEFAULT_READY_TIMEOUT_MS;
    const probe = r.spec.ready && 'command' in r.spec.ready ? r.spec.ready.command : undefined;
    const how = probe ? `'${probe.join(' ')}' exiting 0` : `a TCP connect to 127.0.0.1:${r.port}`;
    const end = performance.now() + timeoutMs;
    let last = '';
    while (performance.now() < end) {
      if (this.signal.aborted) throw this.signal.reason;
      const state = await this.engine.containerState(r.id);
      if (!state.running) {
        throw new Error(`service ${name} (${r.spec.image}) exited with code ${state.exitCode} before it was ready${await this.logs(r.id)}`);
      }
      if (probe) {
        const out = await this.engine.exec(r.id, probe).catch((err: Error) => ({ exitCode: -1, output: err.message }));
        if (out.exitCode === 0) return;
        last = `; last: exit ${out.exitCode} ${out.output.trim().split('\n').pop() ?? ''}`;
      } else if (await tcpOpen(r.port)) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`service ${name} (${r.spec.image}) was not ready within ${formatDuration(timeoutMs)} (waiting for ${how}${last}); raise run.services.${name}.ready_timeout_ms or check its env${await this.logs(r.id)}`);
  }

  private async logs(id: string): Promise<string> {
    const text = (await this.engine.containerLogs(id, 15).catch(() => '')).trim();
    return text ? `\n  its last log lines:\n  ${text.split('\n').join('\n  ')}` : '';
  }
}
