// Option parsing on node's own util.parseArgs, strict: an unknown option is a usage error naming it.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** "--iterations -1" would read -1 as an option; joined as "--iterations=-1" it is the value it is meant to be. */
function joinNegativeValues(argv: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    if (name && options[name]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i += 1;
    } else out.push(argv[i]);
  }
  return out;
}

export function parseCommandArgs(command: string, argv: string[], options: OptionSpec, allowPositionals = true): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`stagebench ${command}: ${msg.replace(/\.?\s*To specify.*$/s, '')}\nSee 'stagebench ${command} --help'.`);
  }
}

/** A repeated option, each value possibly a comma list: ['a,b', 'c'] -> ['a', 'b', 'c']. */
export function listValue(v: string | boolean | string[] | undefined): string[] {
  if (v === undefined || typeof v === 'boolean') return [];
  const items = Array.isArray(v) ? v : [v];
  return items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A whole number option within [min, max], or the default when absent. */
export function intValue(command: string, flag: string, v: unknown, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  const s = String(v);
  if (!/^-?\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new UsageError(`stagebench ${command}: --${flag} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, not '${s}'`);
  }
  return Number(s);
}

/** A number option (decimals allowed) within [min, max]. */
export function numberValue(command: string, flag: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (String(v).trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`stagebench ${command}: --${flag} takes a number from ${min} to ${max}, not '${String(v)}'`);
  }
  return n;
}

export function choiceValue<T extends string>(command: string, flag: string, v: unknown, choices: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!choices.includes(v as T)) {
    throw new UsageError(`stagebench ${command}: --${flag} takes one of ${choices.join(', ')}, not '${String(v)}'`);
  }
  return v as T;
}
