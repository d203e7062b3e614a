// What scenario.json's run.services mean, without an engine: the port each service listens on ({{port}} where the
// harness chooses it), the environment and command it gets, the app's environment with {{services.NAME.port}}
// filled in, and the host names the app resolves to 127.0.0.1. Pure.
import type { RunSpec, ServiceSpec } from '../types.ts';

/** In a service's env or command: the port the harness chose for it. */
export const PORT_TOKEN = '{{port}}';
/** In run.env: the port the harness chose for service NAME (its fixed port when it chooses none). */
const APP_TOKEN = /\{\{services\.([a-z0-9-]+)\.port\}\}/g;
const ANY_TOKEN = /\{\{[^}]*\}\}/g;

export const DEFAULT_READY_TIMEOUT_MS = 60_000;

/** Whether the harness chooses the service's port: its env or command holds {{port}}; else it listens on `port`. */
export function choosesPort(spec: ServiceSpec): boolean {
  return [...Object.values(spec.env ?? {}), ...(spec.command ?? [])].some((v) => v.includes(PORT_TOKEN));
}

function fill(value: string, port: number): string {
  return value.split(PORT_TOKEN).join(String(port));
}

/** The service's environment as KEY=VALUE, {{port}} filled in. */
export function serviceEnv(spec: ServiceSpec, port: number): string[] {
  return Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${fill(v, port)}`);
}

/** The service's command, {{port}} filled in; undefined keeps the image's CMD. */
export function serviceCommand(spec: ServiceSpec, port: number): string[] | undefined {
  return spec.command?.map((a) => fill(a, port));
}

/** run.env with each {{services.NAME.port}} replaced by the port NAME listens on in this run. */
export function appEnv(env: Record<string, string> | undefined, ports: Readonly<Record<string, number>>): Record<string, string> | undefined {
  if (!env) return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(APP_TOKEN, (whole, name: string) => (name in ports ? String(ports[name]) : whole))]));
}

/** The app container's extra host entries: every service name and alias on 127.0.0.1 (host networking). */
export function hostEntries(services: Readonly<Record<string, ServiceSpec>>): string[] {
  return Object.entries(services).flatMap(([name, s]) => [name, ...(s.aliases ?? [])]).map((h) => `${h}:127.0.0.1`);
}

/** What is wrong in run.services and the placeholders that refer to them, as messages naming the key. */
export function serviceProblems(run: RunSpec | undefined): string[] {
  const services = run?.services ?? {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(run?.env ?? {})) {
    for (const token of value.match(ANY_TOKEN) ?? []) {
      const m = /^\{\{services\.([a-z0-9-]+)\.port\}\}$/.exec(token);
      if (!m) problems.push(`run.env.${key}: unknown placeholder ${token}; the one run.env knows is {{services.NAME.port}}`);
      else if (!(m[1] in services)) problems.push(`run.env.${key}: ${token} names no service of run.services (${Object.keys(services).join(', ') || 'none'})`);
    }
  }
  const names = new Map<string, string>();
  for (const [name, s] of Object.entries(services)) {
    for (const [where, value] of [...Object.entries(s.env ?? {}).map(([k, v]) => [`env.${k}`, v]), ...(s.command ?? []).map((v, i) => [`command[${i}]`, v])]) {
      for (const token of value.match(ANY_TOKEN) ?? []) {
        if (token !== PORT_TOKEN) problems.push(`run.services.${name}.${where}: unknown placeholder ${token}; a service knows {{port}} only`);
      }
    }
    for (const host of [name, ...(s.aliases ?? [])]) {
      if (host === 'localhost') problems.push(`run.services.${name}: 'localhost' cannot name a service; choose another name`);
      const other = names.get(host);
      if (other !== undefined) problems.push(`run.services.${name}: the host name '${host}' is ${other === name ? 'given twice' : `also service ${other}'s`}`);
      names.set(host, name);
    }
  }
  return problems;
}
