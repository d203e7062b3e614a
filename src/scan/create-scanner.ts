// --scanner auto|builtin|trivy|grype|none resolved to a Scanner. auto takes trivy when it is on PATH, else grype,
// else the built-in scanner.
import { EnvironmentError } from '../errors.ts';
import type { ScannerChoice } from '../types.ts';
import { builtinScanner } from './builtin/builtin-scanner.ts';
import { loadOsvDatabase } from './builtin/osv-database.ts';
import { grypeScanner } from './grype.ts';
import { findOnPath } from '../tools/exec.ts';
import type { Scanner, ScannerOptions } from './scanner.ts';
import { trivyScanner } from './trivy.ts';

/** The scanner for a --scanner choice; null for 'none'. Loads --vuln-db here, before any timing. */
export async function createScanner(choice: 'none', opts?: ScannerOptions): Promise<null>;
export async function createScanner(choice: Exclude<ScannerChoice, 'none'>, opts?: ScannerOptions): Promise<Scanner>;
export async function createScanner(choice: ScannerChoice, opts?: ScannerOptions): Promise<Scanner | null>;
export async function createScanner(choice: ScannerChoice, opts: ScannerOptions = {}): Promise<Scanner | null> {
  const pathEnv = opts.pathEnv ?? process.env.PATH ?? '';
  if (choice === 'none') return null;
  if (choice === 'trivy' || choice === 'auto') {
    const trivy = await findOnPath('trivy', pathEnv);
    if (trivy) return trivyScanner(trivy, opts.trivyArgs ?? [], pathEnv);
    if (choice === 'trivy') {
      throw new EnvironmentError("--scanner trivy: trivy is not on PATH. Install Trivy, or use '--scanner builtin' (stagebench's own scanner, with --vuln-db PATH for vulnerabilities).");
    }
  }
  if (choice === 'grype' || choice === 'auto') {
    const grype = await findOnPath('grype', pathEnv);
    if (grype) return grypeScanner(grype, opts.grypeArgs ?? [], pathEnv);
    if (choice === 'grype') {
      throw new EnvironmentError("--scanner grype: grype is not on PATH. Install Grype, or use '--scanner builtin' (stagebench's own scanner, with --vuln-db PATH for vulnerabilities).");
    }
  }
  const db = opts.vulnDb ? await loadOsvDatabase(opts.vulnDb) : undefined;
  return builtinScanner(db);
}
