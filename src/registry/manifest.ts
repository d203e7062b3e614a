// Reading a pushed image back from a registry's HTTP API (Distribution v2): the manifest's layers and their
// compressed sizes, and the config's diff ids, so that push and pull progress ids map onto exact byte counts.
import type { RegistryAuth } from '../engine/engine.ts';

const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

export interface ImageManifest {
  configBytes: number;
  layers: Array<{ digest: string; size: number }>;
  diffIds: string[];
}

/** GET with the registry's auth dance: basic credentials, or a bearer token from the realm a 401 names. */
async function registryGet(url: string, auth: RegistryAuth | undefined, accept: string): Promise<Response> {
  const basic = auth?.auth ?? (auth?.username ? Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64') : undefined);
  let res = await fetch(url, { headers: { Accept: accept } });
  if (res.status !== 401) return res;
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (/^Basic/i.test(challenge) && basic) return fetch(url, { headers: { Accept: accept, Authorization: `Basic ${basic}` } });
  const m = /^Bearer\s+(.*)$/i.exec(challenge);
  if (!m) return res;
  const params = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
  const tokenUrl = new URL(params.realm);
  if (params.service) tokenUrl.searchParams.set('service', params.service);
  if (params.scope) tokenUrl.searchParams.set('scope', params.scope);
  const tokenRes = await fetch(tokenUrl, { headers: basic ? { Authorization: `Basic ${basic}` } : {} });
  if (!tokenRes.ok) return tokenRes;
  const body = (await tokenRes.json()) as { token?: string; access_token?: string };
  res = await fetch(url, { headers: { Accept: accept, Authorization: `Bearer ${body.token ?? body.access_token ?? ''}` } });
  return res;
}

export async function fetchManifest(baseUrl: string, repo: string, tag: string, auth: RegistryAuth | undefined): Promise<ImageManifest> {
  const res = await registryGet(`${baseUrl}/v2/${repo}/manifests/${tag}`, auth, ACCEPT);
  if (!res.ok) throw new Error(`the registry answered ${res.status} for the manifest of ${repo}:${tag}`);
  const manifest = (await res.json()) as { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number }> };
  const cfgRes = await registryGet(`${baseUrl}/v2/${repo}/blobs/${manifest.config.digest}`, auth, '*/*');
  if (!cfgRes.ok) throw new Error(`the registry answered ${cfgRes.status} for the config of ${repo}:${tag}`);
  const config = (await cfgRes.json()) as { rootfs?: { diff_ids?: string[] } };
  return {
    configBytes: manifest.config.size,
    layers: manifest.layers.map((l) => ({ digest: l.digest, size: l.size })),
    diffIds: config.rootfs?.diff_ids ?? [],
  };
}

/** Compressed bytes of the layers whose progress ids (12-hex prefixes) moved. Pure. */
export function movedBytes(m: ImageManifest, ids: string[], by: 'diff-id' | 'digest'): number {
  const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);
  const moved = new Set(ids);
  return m.layers.reduce((sum, layer, i) => {
    const id = by === 'digest' ? short(layer.digest) : short(m.diffIds[i] ?? '');
    return moved.has(id) ? sum + layer.size : sum;
  }, 0);
}

export function layerBytes(m: ImageManifest): number {
  return m.layers.reduce((s, l) => s + l.size, 0);
}

/** The image's size in the registry: config and layers of its manifest. */
export function compressedBytes(m: ImageManifest): number {
  return m.configBytes + layerBytes(m);
}
