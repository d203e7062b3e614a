import { readFileSync } from 'node:fs';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** The repository root (where package.json, bench/ and scenarios/ are). */
export const ROOT: string = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
