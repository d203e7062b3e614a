// The Grype adapter: runs `grype -o json` on an image and reads its report (grype-report.ts).
import type { ScanResult } from '../types.ts';
import type { ImageSource, Scanner, ScannerVersion } from './scanner.ts';
import { redactToolArgs, secretValues, withoutSecrets } from '../net/redact-url.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import { parseGrypeDbStatus, parseGrypeReport, parseGrypeVersion } from './grype-report.ts';

export function grypeScanner(program: string, userArgs: string[], pathEnv?: string): Scanner {
  let cached: ScannerVersion | undefined;
  return {
    name: 'grype',
    notes: [],
    async version() {
      if (cached) return cached;
      const v = await runTool(program, ['version', '-o', 'json'], { pathEnv });
      if (!v.ok) throw new Error(toolFailure('grype version failed', v));
      // Versions before `db status -o json` answer with text or fail: the date then comes from the first report.
      const status = await runTool(program, ['db', 'status', '-o', 'json'], { pathEnv });
      cached = { version: parseGrypeVersion(v.stdout), db_date: status.ok ? parseGrypeDbStatus(status.stdout) : '' };
      return cached;
    },
    async scan(imageRef: string, _source: ImageSource, signal?: AbortSignal): Promise<ScanResult> {
      const v = await this.version();
      // The docker: scheme keeps grype from trying a registry when the engine has the image.
      // The user's arguments may carry credentials: messages (the error column, the terminal) show them redacted.
      const run = await runTool(program, ['-o', 'json', '-q', ...userArgs, `docker:${imageRef}`], { pathEnv, signal, shownArgs: ['-o', 'json', '-q', ...redactToolArgs(userArgs), `docker:${imageRef}`] });
      if (!run.ok) throw new Error(withoutSecrets(toolFailure(`grype could not scan ${imageRef}`, run), secretValues(userArgs)));
      const parsed = parseGrypeReport(run.stdout);
      if (!parsed.ok) throw new Error(`grype scan of ${imageRef}: ${parsed.error}\ncommand: ${run.command}`);
      if (!cached?.db_date && parsed.db_date) cached = { version: v.version, db_date: parsed.db_date };
      return {
        scanner: 'grype',
        scanner_version: v.version,
        db_date: v.db_date || parsed.db_date,
        vulns_checked: true,
        packages_os: null,
        packages_npm: null,
        findings: parsed.findings,
      };
    },
  };
}
