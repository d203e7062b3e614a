// The test runner of bench/test.sh: uvu's own queue, run in one process as `uvu DIR` does, with each file's seconds
// and counts recorded. `node --import tsx test/support/run-tests.ts PATH...` runs every *.test.ts under each PATH
// (a folder or one file), in the order given and, inside a folder, by name as uvu orders them.
// With STAGEBENCH_TEST_LOG=FILE it appends one line per test file as it ends: seconds, passed, total, path
// (tab-separated), from which bench/test.sh prints the closing count and the slowest files. A file that fails to load
// counts as one failed test.
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type SuiteResult = [errors: string | true, ran: number, skipped: number, total: number];
type Group = [name: string, ...runs: Array<() => Promise<SuiteResult>>];

const globals = globalThis as unknown as { UVU_DEFER: number; UVU_INDEX: number; UVU_QUEUE: Group[] };

function testFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) found.push(p);
    }
  };
  walk(path);
  return found.sort((a, b) => relative(path, a).localeCompare(relative(path, b)));
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: node --import tsx test/support/run-tests.ts PATH...');
  process.exit(2);
}
const files = paths.flatMap((p) => testFiles(resolve(p)));
const log = process.env.STAGEBENCH_TEST_LOG;
const seconds = new Map<string, number>();
const counts = new Map<string, { passed: number; total: number }>();
const name = (file: string) => relative(process.cwd(), file);
let loadFailed = false;

globals.UVU_DEFER = 1;
const uvu = await import('uvu');
for (const [index, file] of files.entries()) {
  globals.UVU_INDEX = index;
  globals.UVU_QUEUE.push([name(file)]);
  const start = performance.now();
  try {
    await import(pathToFileURL(file).href);
    counts.set(name(file), { passed: 0, total: 0 });
  } catch (err) {
    console.error(`${name(file)}: failed to load: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    counts.set(name(file), { passed: 0, total: 1 });
    loadFailed = true;
  }
  seconds.set(name(file), (performance.now() - start) / 1000);
}

/** Appends a file's line to the log: as soon as its last suite ends, so a run stopped midway keeps what it timed. */
function record(file: string): void {
  const c = counts.get(file)!;
  if (log) appendFileSync(log, `${seconds.get(file)!.toFixed(1)}\t${c.passed}\t${c.total}\t${file}\n`);
}

// Each file's suites are the functions queued after its name: time them and keep what they report.
for (const group of globals.UVU_QUEUE) {
  const file = group[0];
  const last = group.length - 1;
  if (last === 0) record(file);
  for (let i = 1; i <= last; i += 1) {
    const run = group[i] as () => Promise<SuiteResult>;
    group[i] = async () => {
      const start = performance.now();
      const result = await run();
      seconds.set(file, (seconds.get(file) ?? 0) + (performance.now() - start) / 1000);
      const c = counts.get(file)!;
      c.passed += result[1];
      c.total += result[3];
      if (i === last) record(file);
      return result;
    };
  }
}

await uvu.exec(false);
// uvu sets the exit code from the suites it ran; a file that did not load ran none.
if (loadFailed) process.exitCode = 1;
