// The Trivy adapter: runs `trivy image --format json` on an image and reads its report (trivy-report.ts).
import type { ScanResult } from '../types.ts';
import type { ImageSource, Scanner, ScannerVersion } from './scanner.ts';
import { redactToolArgs, secretValues, withoutSecrets } from '../net/redact-url.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import { parseTrivyReport, parseTrivyVersion } from './trivy-report.ts';

// Options that locate Trivy's cache also decide which database `trivy version` describes.
function cacheOptions(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--cache-dir' && i + 1 < args.length) out.push(a, args[++i]);
    else if (a.startsWith('--cache-dir=')) out.push(a);
  }
  return out;
}

export function trivyScanner(program: string, userArgs: string[], pathEnv?: string): Scanner {
  let cached: ScannerVersion | undefined;
  return {
    name: 'trivy',
    notes: [],
    async version() {
      if (cached) return cached;
      const run = await runTool(program, ['version', '--format', 'json', ...cacheOptions(userArgs)], { pathEnv });
      if (!run.ok) throw new Error(toolFailure('trivy version failed', run));
      cached = parseTrivyVersion(run.stdout);
      return cached;
    },
    async scan(imageRef: string, _source: ImageSource, signal?: AbortSignal): Promise<ScanResult> {
      const v = await this.version();
      // The user's arguments may carry credentials (--password, --registry-token): messages show them redacted.
      const fixed = ['image', '--format', 'json', '--quiet', '--list-all-pkgs'];
      const run = await runTool(program, [...fixed, ...userArgs, imageRef], { pathEnv, signal, shownArgs: [...fixed, ...redactToolArgs(userArgs), imageRef] });
      if (!run.ok) throw new Error(withoutSecrets(toolFailure(`trivy could not scan ${imageRef}`, run), secretValues(userArgs)));
      const parsed = parseTrivyReport(run.stdout, true);
      if (!parsed.ok) throw new Error(`trivy scan of ${imageRef}: ${parsed.error}\ncommand: ${run.command}`);
      return {
        scanner: 'trivy',
        scanner_version: v.version,
        db_date: v.db_date,
        vulns_checked: true,
        packages_os: parsed.packages_os,
        packages_npm: parsed.packages_npm,
        findings: parsed.findings,
      };
    },
  };
}
