// Engine and registry URLs as they may be shown or recorded: without the user and password a URL can carry
// (tcp://admin:pw@host:2375). The full URL is used to connect and never leaves the process.

/** The URL without its userinfo; text that is not a URL with a scheme is returned as it is. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');
}

/** What stands where a credential was. */
export const REDACTED = '***';

// A tool's option that takes a credential (trivy --password, --registry-token; grype's --key and the like).
const SECRET_FLAG = /^--?[a-z0-9-]*(password|passwd|passphrase|token|secret|api-?key|auth|credential|key)[a-z0-9-]*$/i;

/** A tool's arguments with credentials replaced: `--password=X`, `--password X`, and user:password@ in URLs. */
export function redactToolArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = /^(--?[^=\s]+)=(.*)$/s.exec(a);
    if (eq && SECRET_FLAG.test(eq[1])) out.push(`${eq[1]}=${REDACTED}`);
    else if (!eq && SECRET_FLAG.test(a) && i + 1 < args.length && !args[i + 1].startsWith('-')) out.push(a, REDACTED), (i += 1);
    else out.push(redactUrl(a));
  }
  return out;
}

/** The credential values among a tool's arguments (to take out of what the tool printed), longest first. */
export function secretValues(args: readonly string[]): string[] {
  const redacted = redactToolArgs(args);
  const values = new Set<string>();
  // Same length: each argument of the redacted list stands where the original one did.
  redacted.forEach((r, i) => {
    if (r === args[i]) return;
    const eq = /^--?[^=\s]+=(.*)$/s.exec(args[i]);
    const v = r === REDACTED ? args[i] : (eq?.[1] ?? args[i]);
    if (v.length >= 3) values.add(v);
  });
  return [...values].sort((a, b) => b.length - a.length);
}

/** `text` with every one of `secrets` replaced. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
}

/**
 * Every argument of a command line redacted (`--pull-target=tcp://u:p@h`, or the value after `--pull-target`), and
 * the credentials among `--scanner-arg` values (`--scanner-arg=--password=X`, or `--password` then `X`).
 */
export function redactArgs(args: readonly string[]): string[] {
  const out = args.map((a) => {
    const eq = /^(--[a-z-]+=)(.*)$/s.exec(a);
    return eq ? `${eq[1]}${redactUrl(eq[2])}` : redactUrl(a);
  });
  const at: number[] = [];
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--scanner-arg=')) {
      at.push(i);
      values.push(args[i].slice('--scanner-arg='.length));
    } else if (args[i] === '--scanner-arg' && i + 1 < args.length) {
      at.push(i + 1);
      values.push(args[i + 1]);
      i += 1;
    }
  }
  redactToolArgs(values).forEach((v, k) => {
    out[at[k]] = args[at[k]].startsWith('--scanner-arg=') ? `--scanner-arg=${v}` : v;
  });
  return out;
}
