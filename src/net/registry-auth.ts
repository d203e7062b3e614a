// Which lines of a user's npm config carry credentials for a registry. A line `//HOST[:PORT]/PATH/:_authToken=...`
// belongs to that host exactly and to registries at or below that path: never to another host whose name merely
// starts the same (`//reg.example.co` is not `//reg.example.com`), nor to a sibling path (`/npm` is not `/npm-evil`).

/** Host (with port) and path of `//host[:port]/path/` or of a registry URL; undefined when it is neither. */
function scopeOf(text: string): { host: string; path: string } | undefined {
  try {
    const url = new URL(text.startsWith('//') ? `https:${text}` : text);
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return { host: url.host.toLowerCase(), path };
  } catch {
    return undefined;
  }
}

/** Whether a credential line's scope (`//host/path/`) covers `registry`: the same host, a path at or above its path. */
export function scopeCovers(scope: string, registry: string): boolean {
  const s = scopeOf(scope);
  const r = scopeOf(registry);
  return s !== undefined && r !== undefined && s.host === r.host && r.path.startsWith(s.path);
}

/** The lines of an npm config that hold credentials for `registry` (`//host/path/:_authToken=...`). */
export function authLinesFor(npmrc: string, registry: string): string[] {
  // `//host[:port]/path/:key=value`: the part before the key's colon names the registry the line is for.
  const scope = (l: string) => {
    const key = l.split('=')[0];
    return key.slice(0, key.lastIndexOf(':'));
  };
  return npmrc.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('//') && l.includes('=') && scopeCovers(scope(l), registry));
}
