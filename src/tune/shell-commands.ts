// What a RUN instruction's shell command does, as far as the tune rules care: installs dependencies, builds,
// prunes devDependencies, installs or removes compilers. A small tokenizer, not a shell: it splits on the
// operators that separate commands (&&, ||, ;, |, newlines) outside quotes and reads each command's words.

export interface SimpleCommand {
  /** Words after the leading VAR=value assignments, quotes removed. */
  words: string[];
  /** The leading VAR=value assignments (`NODE_ENV=production npm ci`). */
  env: Record<string, string>;
  /** The command as written, trimmed. */
  text: string;
}

export interface DependencyInstall {
  tool: 'npm' | 'yarn' | 'pnpm';
  /** `npm ci` (lockfile-exact) or an install that may resolve versions anew. */
  kind: 'ci' | 'install';
  /** Package names given on the command line: an install of named packages, not of the manifest. */
  packages: string[];
  global: boolean;
  /** --omit=dev, --production, --prod, or NODE_ENV=production on the command itself. */
  omitsDev: boolean;
}

/** Splits a shell command line into its simple commands, each with the operator that follows it. */
export function splitCommands(script: string): Array<{ text: string; next: string }> {
  const out: Array<{ text: string; next: string }> = [];
  let buf = '';
  let quote: '"' | "'" | null = null;
  const s = script.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) { buf += c + s[++i]; continue; }
      buf += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; buf += c; continue; }
    if (c === '\\' && i + 1 < s.length) { buf += c + s[++i]; continue; }
    const two = s.slice(i, i + 2);
    let op = '';
    if (two === '&&' || two === '||') op = two;
    else if (c === ';' || c === '|' || c === '\n') op = c;
    if (op) {
      out.push({ text: buf.trim(), next: op });
      buf = '';
      i += op.length - 1;
      continue;
    }
    buf += c;
  }
  out.push({ text: buf.trim(), next: '' });
  return out.filter((c) => c.text.length > 0);
}

/** Splits one simple command into words, removing quotes. */
export function words(text: string): string[] {
  const out: string[] = [];
  let buf = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else buf += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; inWord = true; continue; }
    if (c === '\\' && i + 1 < text.length) { buf += text[++i]; inWord = true; continue; }
    if (/\s/.test(c)) {
      if (inWord) out.push(buf);
      buf = '';
      inWord = false;
      continue;
    }
    buf += c;
    inWord = true;
  }
  if (inWord) out.push(buf);
  return out;
}

const WRAPPERS = new Set(['sudo', 'exec', 'env', 'time', 'command']);

export function simpleCommands(script: string): SimpleCommand[] {
  return splitCommands(script).map(({ text }) => {
    const ws = words(text);
    const env: Record<string, string> = {};
    while (ws.length > 0) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(ws[0]);
      if (m) { env[m[1]] = m[2]; ws.shift(); continue; }
      if (WRAPPERS.has(ws[0])) { ws.shift(); continue; }
      break;
    }
    return { words: ws, env, text };
  });
}

const NPM_CI = new Set(['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean']);
const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);

function optionWords(ws: string[]): { flags: string[]; positionals: string[] } {
  const flags: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w.startsWith('-')) {
      flags.push(w);
      // `--omit dev`: the value is its own word
      if ((w === '--omit' || w === '--only' || w === '--include') && i + 1 < ws.length) flags.push(`${w}=${ws[++i]}`);
    } else {
      positionals.push(w);
    }
  }
  return { flags, positionals };
}

function toolName(word: string | undefined): string {
  return (word ?? '').split('/').pop() ?? '';
}

/** The dependency install a simple command runs, or null. */
export function dependencyInstall(cmd: SimpleCommand): DependencyInstall | null {
  const tool = toolName(cmd.words[0]);
  const sub = cmd.words[1];
  const productionEnv = cmd.env.NODE_ENV === 'production';
  if (tool === 'npm' && sub !== undefined && (NPM_CI.has(sub) || NPM_INSTALL.has(sub))) {
    const { flags, positionals } = optionWords(cmd.words.slice(2));
    return {
      tool: 'npm',
      kind: NPM_CI.has(sub) ? 'ci' : 'install',
      packages: positionals,
      global: flags.some((f) => f === '-g' || f === '--global' || f === '--location=global'),
      omitsDev: productionEnv || flags.some((f) => /^--(omit=dev|production|only=prod(uction)?)$/.test(f)),
    };
  }
  if (tool === 'yarn' && (sub === undefined || sub === 'install' || sub === 'add' || sub === 'global' || sub.startsWith('-'))) {
    const { flags, positionals } = optionWords(cmd.words.slice(sub === undefined || sub.startsWith('-') ? 1 : 2));
    return {
      tool: 'yarn',
      kind: flags.includes('--frozen-lockfile') || flags.includes('--immutable') ? 'ci' : 'install',
      packages: sub === 'global' ? positionals.slice(1) : positionals,
      global: sub === 'global',
      omitsDev: productionEnv || flags.some((f) => f === '--production' || f === '--prod' || f === '--production=true'),
    };
  }
  if (tool === 'pnpm' && sub !== undefined && (sub === 'install' || sub === 'i' || sub === 'add')) {
    const { flags, positionals } = optionWords(cmd.words.slice(2));
    return {
      tool: 'pnpm',
      kind: flags.includes('--frozen-lockfile') ? 'ci' : 'install',
      packages: positionals,
      global: flags.includes('-g') || flags.includes('--global'),
      omitsDev: productionEnv || flags.some((f) => f === '--prod' || f === '-P' || f === '--production'),
    };
  }
  return null;
}

/** An install driven by the manifests (not `npm install -g x`, not `npm install express`): the expensive one. */
export function isManifestInstall(inst: DependencyInstall | null): inst is DependencyInstall {
  return inst !== null && !inst.global && inst.packages.length === 0;
}

/** `npm run build`, `yarn build`, `tsc`, `npx tsc`: a build step that needs the compiler. */
export function isBuildStep(cmd: SimpleCommand): boolean {
  const [w0, w1, w2] = cmd.words.map((w, i) => (i === 0 ? toolName(w) : w));
  const buildish = (name: string | undefined): boolean => name !== undefined && /build|compile/.test(name);
  if (w0 === 'tsc' || w0 === 'webpack' || w0 === 'esbuild' || w0 === 'vite' || w0 === 'babel') return true;
  if ((w0 === 'npx' || w0 === 'pnpx') && (w1 === 'tsc' || w1 === 'webpack' || w1 === 'esbuild' || w1 === 'vite' || w1 === 'babel')) return true;
  if (w0 === 'npm' && (w1 === 'run' || w1 === 'run-script')) return buildish(w2);
  if (w0 === 'yarn' || w0 === 'pnpm') return w1 === 'run' ? buildish(w2) : buildish(w1);
  return false;
}

/** `npm prune --omit=dev` / `--production`: devDependencies removed. */
export function isDevPrune(cmd: SimpleCommand): boolean {
  const [w0, w1] = cmd.words;
  if (toolName(w0) !== 'npm' || w1 !== 'prune') return false;
  const { flags } = optionWords(cmd.words.slice(2));
  return cmd.env.NODE_ENV === 'production' || flags.some((f) => /^--(omit=dev|production)$/.test(f));
}

export const COMPILER_PACKAGES = new Set([
  'build-essential', 'build-base', 'gcc', 'g++', 'make', 'cmake', 'clang', 'python3', 'python', 'python3-dev',
  'libc6-dev', 'musl-dev', 'node-gyp',
]);

/** Compilers an OS package manager installs here (apt-get install gcc make, apk add build-base). */
export function compilerInstall(cmd: SimpleCommand): string[] {
  const [w0, w1] = cmd.words.map((w, i) => (i === 0 ? toolName(w) : w));
  const installs = ((w0 === 'apt-get' || w0 === 'apt' || w0 === 'yum' || w0 === 'dnf' || w0 === 'microdnf') && w1 === 'install')
    || (w0 === 'apk' && w1 === 'add');
  if (!installs) return [];
  return cmd.words.slice(2).filter((w) => !w.startsWith('-')).filter((w) => COMPILER_PACKAGES.has(w.split('=')[0]));
}

/** apt-get purge/remove, apk del: packages taken out again in the same layer. */
export function isPackageRemoval(cmd: SimpleCommand): boolean {
  const [w0, w1] = cmd.words.map((w, i) => (i === 0 ? toolName(w) : w));
  return ((w0 === 'apt-get' || w0 === 'apt') && (w1 === 'purge' || w1 === 'remove' || w1 === 'autoremove'))
    || (w0 === 'apk' && w1 === 'del')
    || ((w0 === 'yum' || w0 === 'dnf') && w1 === 'remove');
}
