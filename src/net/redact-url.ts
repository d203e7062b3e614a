// Engine and registry URLs as they may be shown or recorded: without the user and password a URL can carry
// (tcp://admin:pw@host:2375). The full URL is used to connect and never leaves the process.

/** The URL without its userinfo; text that is not a URL with a scheme is returned as it is. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');
}

/** Every argument of a command line redacted (`--pull-target=tcp://u:p@h`, or the value after `--pull-target`). */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((a) => {
    const eq = /^(--[a-z-]+=)(.*)$/.exec(a);
    return eq ? `${eq[1]}${redactUrl(eq[2])}` : redactUrl(a);
  });
}
