// What `stagebench init` takes from an app's compose file: the services the app's own service depends on or links
// to become scenario.json run.services, their environment and the app's become run.env, with the host names and
// ports the app uses rewritten to the run's (docs/services.md). Says what it took and what it left out. Pure: the
// file's text and the app folder's .env values in, the run section and the lines to print out.
import { parse as parseYaml } from 'yaml';
import { choosesPort } from '../scenario/services.ts';
import type { ServiceSpec } from '../types.ts';

/** The file names compose looks for, in its order. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface ComposeRun {
  /** The compose service taken as the app (the one that builds it). */
  app: string;
  env: Record<string, string>;
  services: Record<string, ServiceSpec>;
  took: string[];
  leftOut: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compose's interpolation of one value: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $VAR and
 * $$ (a literal $). `unset` collects the names that had no value and no default.
 */
export function interpolate(text: string, vars: Readonly<Record<string, string>>, unset: Set<string> = new Set()): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i += 1;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (bare) {
      if (!Object.hasOwn(vars, bare[0])) unset.add(bare[0]);
      out += vars[bare[0]] ?? '';
      i += 1 + bare[0].length;
      continue;
    }
    if (text[i + 1] !== '{') {
      out += c;
      i += 1;
      continue;
    }
    // ${...}: up to the matching brace, so a default may hold another ${...}.
    let depth = 1;
    let j = i + 2;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === '{') depth += 1;
      else if (text[j] === '}') depth -= 1;
    }
    const body = text.slice(i + 2, j - 1);
    i = j;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([\s\S]*))?$/.exec(body);
    if (!m) {
      out += `\${${body}}`;
      continue;
    }
    const [, name, op, arg] = m;
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    const empty = value === undefined || (op?.startsWith(':') === true && value === '');
    if (op?.endsWith('-')) out += empty ? interpolate(arg ?? '', vars, unset) : (value as string);
    else {
      if (value === undefined) unset.add(name);
      out += value ?? '';
    }
  }
  return out;
}

/** Every string in a parsed YAML value interpolated, as compose does before it reads the file. */
function interpolateAll(v: unknown, vars: Readonly<Record<string, string>>, unset: Set<string>): unknown {
  if (typeof v === 'string') return interpolate(v, vars, unset);
  if (Array.isArray(v)) return v.map((x) => interpolateAll(x, vars, unset));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolateAll(x, vars, unset)]));
  return v;
}

/** A .env file's KEY=VALUE lines (comments, `export`, quotes). Pure. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let value = m[2].trim();
    const q = /^(['"])(.*)\1$/.exec(value);
    if (q) value = q[2];
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}

/** A service's environment, list form (["A=b", "C"]) or map form ({A: b}); a name without value takes the .env's. */
export function environmentOf(v: unknown, vars: Readonly<Record<string, string>>, missing: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, value: unknown) => {
    if (value === null || value === undefined) {
      if (Object.hasOwn(vars, k)) out[k] = vars[k];
      else missing.push(k);
    } else out[k] = String(value);
  };
  if (Array.isArray(v)) {
    for (const item of v.map(String)) {
      const eq = item.indexOf('=');
      if (eq < 0) put(item, null);
      else put(item.slice(0, eq), item.slice(eq + 1));
    }
  } else if (isObj(v)) for (const [k, value] of Object.entries(v)) put(k, value);
  return out;
}

/** depends_on in list or map form, and links ("db" or "db:alias"): service name -> aliases. */
export function dependencies(service: Obj): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (name: string, alias?: string) => {
    const aliases = out.get(name) ?? [];
    if (alias && alias !== name && !aliases.includes(alias)) aliases.push(alias);
    out.set(name, aliases);
  };
  const dep = service.depends_on;
  if (Array.isArray(dep)) for (const d of dep) add(String(d));
  else if (isObj(dep)) for (const d of Object.keys(dep)) add(d);
  if (Array.isArray(service.links)) {
    for (const l of service.links.map(String)) {
      const [name, alias] = l.split(':');
      add(name, alias);
    }
  }
  return out;
}

/** Shell-like words of a command string (quotes kept together); a list stays as it is. */
function words(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') return undefined;
  return [...v.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The port a service listens on inside: `expose`, else the container side of `ports`. */
function declaredPort(s: Obj): number | undefined {
  const first = (v: unknown): number | undefined => {
    if (!Array.isArray(v) || v.length === 0) return undefined;
    const p = v[0];
    if (isObj(p)) return Number(p.target) || undefined;
    const last = String(p).split('/')[0].split(':').pop() as string;
    return Number(last.split('-')[0]) || undefined;
  };
  return first(s.expose) ?? first(s.ports);
}

/**
 * Images whose port init knows, and how each is told to listen on the port the harness chooses: `args` after the
 * command (the image's entrypoint takes arguments that start with "-" as its server's), or an `env` variable.
 */
const KNOWN: Array<{ match: RegExp; port: number; args?: string[]; env?: string; command?: string[] }> = [
  { match: /(^|\/)mongo(:|$)/, port: 27017, args: ['--port', '{{port}}'] },
  { match: /(^|\/)(postgres|postgis\/postgis|bitnami\/postgresql)(:|$)/, port: 5432, env: 'PGPORT' },
  { match: /(^|\/)(mysql|mariadb)(:|$)/, port: 3306, args: ['--port={{port}}'] },
  { match: /(^|\/)redis(:|$)/, port: 6379, args: ['--port', '{{port}}'], command: ['redis-server'] },
  { match: /(^|\/)memcached(:|$)/, port: 11211, args: ['-p', '{{port}}'] },
];

function knownImage(image: string): (typeof KNOWN)[number] | undefined {
  return KNOWN.find((k) => k.match.test(image));
}

/** Compose's healthcheck test as a ready command: ["CMD", ...] runs as is, CMD-SHELL and a string through sh. */
function readyOf(hc: unknown): string[] | undefined {
  if (!isObj(hc) || hc.disable === true) return undefined;
  const t = hc.test;
  if (typeof t === 'string') return ['sh', '-c', t];
  if (!Array.isArray(t) || t.length === 0) return undefined;
  const [kind, ...rest] = t.map(String);
  if (kind === 'CMD') return rest;
  if (kind === 'CMD-SHELL') return ['sh', '-c', rest.join(' ')];
  return undefined;
}

function buildContext(s: Obj): string {
  const b = s.build;
  return typeof b === 'string' ? b : isObj(b) ? String(b.context ?? '.') : '.';
}

/** A build context as a plain relative path: "./app/" and "app" alike. */
function plainPath(p: string): string {
  return p.split('/').filter((x) => x !== '' && x !== '.').join('/') || '.';
}

/**
 * The service that builds the app: the one whose build context is the app's folder (`appContext`, relative to the
 * compose file's folder), else, with the compose file in the app's own folder, the first that builds.
 */
function appService(services: Obj, appContext: string): string | undefined {
  const building = Object.entries(services).filter(([, s]) => isObj(s) && s.build !== undefined);
  const here = building.find(([, s]) => plainPath(buildContext(s as Obj)) === plainPath(appContext));
  return (here ?? (plainPath(appContext) === '.' ? building[0] : undefined))?.[0];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads a compose file's text. `dotenv`: the app folder's .env (compose's interpolation source; the shell's own
 * environment is not read: a scenario must not depend on who runs init). `envFile` reads an env_file relative to the
 * app folder, undefined when it is not there. Throws an Error with a message for a file that is no compose file.
 */
export function readCompose(
  text: string,
  file: string,
  dotenv: Readonly<Record<string, string>> = {},
  envFile: (rel: string) => string | undefined = () => undefined,
  appContext = '.',
): ComposeRun {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc) || !isObj(doc.services)) throw new Error(`${file}: no "services" section`);
  const unset = new Set<string>();
  const services = interpolateAll(doc.services, dotenv, unset) as Obj;
  const took: string[] = [];
  const leftOut: string[] = [];
  const app = appService(services, appContext);
  if (!app) {
    throw new Error(`${file}: no service builds the app (${plainPath(appContext) === '.' ? 'none has a build section' : `none has the build context ${appContext}`}), so init cannot tell which is the app`);
  }
  const appSpec = services[app] as Obj;
  took.push(`${file}: service ${app} is the app (it builds ${buildContext(appSpec)})`);

  // The app's dependencies and theirs, in the order found.
  const needed = new Map<string, string[]>();
  const queue = [...dependencies(appSpec)];
  while (queue.length) {
    const [name, aliases] = queue.shift()!;
    if (needed.has(name)) {
      needed.set(name, [...new Set([...(needed.get(name) ?? []), ...aliases])]);
      continue;
    }
    needed.set(name, aliases);
    const s = services[name];
    if (name !== app && isObj(s)) queue.push(...dependencies(s));
  }
  needed.delete(app);

  const envFiles = (s: Obj, who: string): Record<string, string> => {
    const list = s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
    const out: Record<string, string> = {};
    for (const e of list) {
      const rel = isObj(e) ? String(e.path) : String(e);
      const content = envFile(rel);
      if (content === undefined) leftOut.push(`${who}: env_file ${rel} (not found beside the compose file)`);
      else Object.assign(out, parseDotenv(content));
    }
    return out;
  };

  const result: Record<string, ServiceSpec> = {};
  /** What init added to tell a service the port the harness chooses, undone where the app's env cannot follow it. */
  const moved = new Map<string, { env?: string; command?: string[]; how: string; line: (how: string) => string }>();
  /** Host names the app may use for a service -> the run's name for it. */
  const hostNames = new Map<string, string>();
  for (const [name, linkAliases] of needed) {
    const s = services[name];
    if (!isObj(s)) {
      leftOut.push(`service ${name}: the app depends on it, but ${file} does not define it`);
      continue;
    }
    const runName = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'service';
    if (typeof s.image !== 'string') {
      leftOut.push(`service ${name}: it has a build section and no image; init starts images only: build it, then add it to run.services by hand`);
      continue;
    }
    const image = s.image;
    const known = knownImage(image);
    const port = declaredPort(s) ?? known?.port;
    if (port === undefined) {
      leftOut.push(`service ${name} (${image}): no port found (no expose or ports, an image init does not know); add it to run.services by hand with its port`);
      continue;
    }
    const missing: string[] = [];
    const env = { ...envFiles(s, `service ${name}`), ...environmentOf(s.environment, dotenv, missing) };
    if (missing.length) leftOut.push(`service ${name}: environment ${missing.join(', ')} (no value in ${file} or .env)`);
    let command = words(s.command);
    // Told to listen on the port the harness chooses, where init knows how; else on its own port, which must be free.
    const chooses = known !== undefined && known.port === port;
    const before = command;
    if (chooses && known.env) env[known.env] = '{{port}}';
    if (chooses && known.args) command = [...(command ?? known.command ?? []), ...known.args];
    const aliases = [...new Set([...linkAliases, ...(typeof s.container_name === 'string' ? [s.container_name] : []), ...(typeof s.hostname === 'string' ? [s.hostname] : [])])]
      .filter((a) => a !== runName);
    for (const h of [name, runName, ...aliases]) hostNames.set(h, runName);
    const ready = readyOf(s.healthcheck);
    result[runName] = {
      image,
      port,
      ...(Object.keys(env).length ? { env } : {}),
      ...(command ? { command } : {}),
      ...(ready ? { ready: { command: ready } } : {}),
      ...(aliases.length ? { aliases } : {}),
    };
    const rest = `${ready ? `, ready when its healthcheck '${ready.join(' ')}' passes` : ', ready when its port takes a TCP connection'}${aliases.length ? `, also named ${aliases.join(', ')}` : ''}`;
    const line = (how: string) => `service ${name} -> run.services.${runName}: ${image}, ${how}${rest}`;
    if (chooses) moved.set(runName, { ...(known.env ? { env: known.env } : {}), ...(before ? { command: before } : {}), how: known.env ? `${known.env}={{port}}` : (known.args ?? []).join(' '), line });
    else took.push(line(`its own port ${port} (fixed: init does not know how to move it; it must be free on the machine)`));
    const dropped = ['volumes', 'ports', 'build', 'networks', 'entrypoint', 'deploy', 'restart'].filter((k) => s[k] !== undefined);
    if (dropped.length) leftOut.push(`service ${name}: ${dropped.join(', ')} (${dropped.includes('volumes') ? 'its data is not kept: each start begins empty; ' : ''}host ports and networks are the harness's own)`);
  }
  for (const other of Object.keys(services).filter((n) => n !== app && !needed.has(n))) {
    leftOut.push(`service ${other}: the app neither depends on it nor links to it`);
  }

  // The app's own environment, host names and ports rewritten to the run's.
  const missing: string[] = [];
  const appEnv = { ...envFiles(appSpec, `service ${app}`), ...environmentOf(appSpec.environment, dotenv, missing) };
  if (missing.length) leftOut.push(`service ${app}: environment ${missing.join(', ')} (no value in ${file} or .env)`);
  const env: Record<string, string> = {};
  for (const [k, value] of Object.entries(appEnv)) {
    let v = value;
    for (const [host, runName] of hostNames) {
      const spec = result[runName];
      const chosen = spec !== undefined && choosesPort(spec);
      const placeholder = `{{services.${runName}.port}}`;
      const h = escape(host);
      if (chosen) {
        // host:port, and a URL's host with no port (the default port it implies is not where the service listens).
        v = v.replace(new RegExp(`(^|[^A-Za-z0-9_.-])${h}:${spec.port}(?![0-9])`, 'g'), `$1${runName}:${placeholder}`);
        v = v.replace(new RegExp(`(//(?:[^@/\\s]*@)?)${h}(?=[/?,]|$)`, 'g'), `$1${runName}:${placeholder}`);
      }
      v = v.replace(new RegExp(`(^|[^A-Za-z0-9_.-])${h}(?![A-Za-z0-9_-])`, 'g'), `$1${runName}`);
    }
    // A value that is the port alone, under a name that says PORT: the port of the one service that listens there.
    if (/PORT/i.test(k)) {
      const owners = Object.entries(result).filter(([, s]) => String(s.port) === v && choosesPort(s));
      if (owners.length === 1) v = `{{services.${owners[0][0]}.port}}`;
    }
    if (v !== value) took.push(`run.env.${k}: ${value} -> ${v}`);
    env[k] = v;
  }
  if (Object.keys(appEnv).length) took.push(`service ${app}: environment ${Object.keys(appEnv).join(', ')} -> run.env`);
  const appDropped = ['volumes', 'ports', 'build', 'networks', 'command', 'entrypoint'].filter((k) => appSpec[k] !== undefined);
  if (appDropped.length) leftOut.push(`service ${app}: ${appDropped.join(', ')} (the variants' Dockerfiles build and start the app; the harness chooses its port)`);
  // A service whose port no run.env value carries keeps its own: the app (its code, say) would look for it there.
  for (const [runName, m] of moved) {
    const spec = result[runName];
    if (Object.values(env).some((v) => v.includes(`{{services.${runName}.port}}`))) {
      took.push(m.line(`told to listen on a port the harness chooses (${m.how}) instead of ${spec.port}`));
      continue;
    }
    if (m.env) delete spec.env?.[m.env];
    if (spec.env && Object.keys(spec.env).length === 0) delete spec.env;
    if (m.command) spec.command = m.command;
    else delete spec.command;
    took.push(m.line(`its own port ${spec.port} (no run.env value carries its port, so the app would look for it there; it must be free on the machine: docs/services.md says how to move it)`));
  }
  if (unset.size) leftOut.push(`variables ${[...unset].join(', ')}: no value in .env and no default; read as empty`);
  return { app, env, services: result, took, leftOut };
}
