// Bad input per command through the real CLI (issue 13): one table, growing with each case found. Every case must
// exit 2 within its time limit, with a `stagebench: error:` line naming the file or value and what to do, and no
// stack trace; a few cases also check that nothing outside was touched. Every case is refused before an engine is
// needed (the fast tier runs it with DOCKER_HOST pointing nowhere). Set BAD_INPUT_TABLE=1 to print what the user saw
// for each case (the closing note's table).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cliCommand, hasStackTrace } from '../../support/cli.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { SAMPLE_COLUMNS } from '../../../src/types.ts';
import { fullRun, writeRunFolder } from '../report/run-folder.ts';
import { Folders } from '../../support/temp-dir.ts';

const dirs = new Folders();
let w = '';
/** A finished run folder to read. */
let run = '';
/** An interrupted run's folder with a valid run.json, made fresh per case with changed options. */
let resumable: (change: (info: Record<string, unknown>) => void) => string;

interface Case {
  command: string;
  name: string;
  args: () => string[];
  /** Texts the error must contain. */
  names: () => string[];
  /** `scenarios check` reports its findings on stdout (exit 2) rather than as one error line. */
  report?: boolean;
  /** A check after the command ran (nothing outside touched). */
  after?: () => void;
  timeoutMs?: number;
}

/** A Dockerfile that copies the whole context before installing: tune has a candidate for it. */
const REORDERABLE = 'ARG NODE_SLIM_IMAGE=node:20-slim\nFROM ${NODE_SLIM_IMAGE}\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node","app.js"]\n';

const seen: Array<{ command: string; name: string; code: number | null; said: string }> = [];

function cli(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(...cliCommand(args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

setupBefore(test, () => {
  w = dirs.make('faults-table');
  run = writeRunFolder(join(w, 'run'), fullRun());
  const base = join(w, 'resumable');
  let n = 0;
  resumable = (change) => {
    const dir = join(base, String(++n));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'samples.csv'), `${SAMPLE_COLUMNS.join(',')}\n`);
    const info: Record<string, unknown> = {
      schema: 1, run_id: '20260101-000000-abcd', command_line: ['stagebench', 'run'],
      options: {
        scenariosDir: join(w, 'scen'), scenarios: [], variants: [], phases: ['build-cold'], iterations: 1, warmup: 0, builder: 'buildkit',
        profile: 'auto', registry: 'embedded', registryInsecure: false, pullTarget: 'embedded', scanner: 'auto', scannerArgs: [],
        quick: false, timeoutMs: 60_000, keepImages: false,
      },
    };
    change(info);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(info));
    return dir;
  };
  makeScenario(join(w, 'scen'), 'demo', { variants: { single: { dockerfile: slimDockerfile('true') } } });
});

/** A scenarios folder holding one scenario `demo`, changed by `change(dir)`. */
function scenarios(label: string, change: (dir: string) => void = () => undefined): string {
  const root = join(w, label);
  const dir = makeScenario(root, 'demo', { variants: { single: { dockerfile: slimDockerfile('true') } } });
  change(dir);
  return root;
}

/** An app folder for init (package.json, a lockfile, a server), changed by `change(dir)`. */
function hostileApp(label: string, change: (dir: string) => void): string {
  const app = join(w, label);
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","main":"index.js"}\n');
  writeFileSync(join(app, 'package-lock.json'), '{"name":"app","lockfileVersion":3,"requires":true,"packages":{"":{"name":"app"}}}\n');
  writeFileSync(join(app, 'index.js'), "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n");
  change(app);
  return app;
}

/** scenario.json's build.secrets set to `secrets`. */
function setSecrets(dir: string, secrets: Record<string, unknown>): void {
  const j = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
  j.build = { secrets };
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(j));
}

const CASES: Case[] = [
  // ---- run --resume: run.json as found ------------------------------------------------------------------------
  { command: 'run', name: 'run.json is null', args: () => { const d = resumable(() => undefined); writeFileSync(join(d, 'run.json'), 'null'); return ['run', '--resume', d]; }, names: () => ['run.json', 'not an object'] },
  { command: 'run', name: 'run.json is {}', args: () => { const d = resumable(() => undefined); writeFileSync(join(d, 'run.json'), '{}'); return ['run', '--resume', d]; }, names: () => ['run.json', 'run_id'] },
  { command: 'run', name: 'options.scenarios a string', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).scenarios = 'demo'))], names: () => ['options.scenarios', '--scenario'] },
  { command: 'run', name: 'options.iterations 1e9', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).iterations = 1e9))], names: () => ['options.iterations', '1000000000'] },
  { command: 'run', name: 'options.warmup -3', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).warmup = -3))], names: () => ['options.warmup', '-3'] },
  { command: 'run', name: 'options.builder unknown', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).builder = 'kaniko'))], names: () => ['options.builder', 'kaniko'] },
  { command: 'run', name: 'options.phases unknown', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).phases = ['nuke']))], names: () => ['options.phases', 'nuke'] },
  { command: 'run', name: 'options.registry with a scheme', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).registry = 'http://x.example.com'))], names: () => ['options.registry'] },
  { command: 'run', name: 'options.pullTarget file://', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).pullTarget = 'file:///etc'))], names: () => ['options.pullTarget'] },
  // ---- run: scenario folders ----------------------------------------------------------------------------------
  { command: 'run', name: 'a dangling symlink in the scenarios folder', args: () => ['run', '--scenarios', scenarios('dangling', (d) => symlinkSync('/nonexistent-stagebench', join(d, '..', 'broken'))), '--phase', 'build-cold'], names: () => ['broken'] },
  { command: 'run', name: 'a scenario folder that is a link outside --scenarios', args: () => {
    const outside = scenarios('outside-target');
    const root = join(w, 'linked-scenarios');
    mkdirSync(root, { recursive: true });
    symlinkSync(join(outside, 'demo'), join(root, 'demo'));
    return ['run', '--scenarios', root, '--phase', 'build-cold'];
  }, names: () => ['demo', 'outside'] },
  { command: 'run', name: 'a Dockerfile that is a folder', args: () => ['run', '--scenarios', scenarios('df-dir', (d) => { rmSync(join(d, 'Dockerfile.single')); mkdirSync(join(d, 'Dockerfile.single')); }), '--phase', 'build-cold'], names: () => ['Dockerfile.single', 'not a regular file'] },
  { command: 'run', name: 'a Dockerfile path "."', args: () => ['run', '--scenarios', scenarios('df-dot', (d) => {
    const j = JSON.parse(readFileSync(join(d, 'scenario.json'), 'utf8'));
    j.variants.single.dockerfile = '.';
    writeFileSync(join(d, 'scenario.json'), JSON.stringify(j));
  }), '--phase', 'build-cold'], names: () => ['scenario.json', "'.'", 'not a regular file'] },
  { command: 'run', name: 'a .dockerignore that is a folder', args: () => ['run', '--scenarios', scenarios('di-dir', (d) => { rmSync(join(d, '.dockerignore')); mkdirSync(join(d, '.dockerignore')); }), '--phase', 'build-cold'], names: () => ['.dockerignore', 'not a file'] },
  { command: 'scenarios', name: 'a .dockerignore that is a FIFO', report: true, timeoutMs: 30_000, args: () => ['scenarios', 'check', '--scenarios', scenarios('di-fifo', (d) => { rmSync(join(d, '.dockerignore')); execFileSync('mkfifo', [join(d, '.dockerignore')]); })], names: () => ['.dockerignore', 'a FIFO'] },
  { command: 'scenarios', name: 'node_modules/evil linking outside', report: true, args: () => ['scenarios', 'check', '--scenarios', scenarios('nm-link', (d) => { mkdirSync(join(d, 'node_modules')); symlinkSync('/etc', join(d, 'node_modules', 'evil')); })], names: () => ['node_modules/evil', 'outside'] },
  { command: 'run', name: '--vuln-db that does not exist', args: () => ['run', '--scenarios', join(w, 'scen'), '--phase', 'scan', '--scanner', 'builtin', '--vuln-db', join(w, 'no-such-db.zip')], names: () => ['--vuln-db', 'no-such-db.zip'] },
  // ---- report, merge, export, tune: output paths ---------------------------------------------------------------
  { command: 'report', name: 'run.json command_line a string', args: () => {
    const d = join(w, 'cmdline-string');
    writeRunFolder(d, fullRun());
    const info = JSON.parse(readFileSync(join(d, 'run.json'), 'utf8'));
    info.command_line = 'stagebench run';
    writeFileSync(join(d, 'run.json'), JSON.stringify(info));
    return ['report', d];
  }, names: () => ['run.json', 'command_line'] },
  { command: 'report', name: '--md under a file', args: () => { writeFileSync(join(w, 'file-md'), 'x'); return ['report', run, '--md', join(w, 'file-md', 'r.md')]; }, names: () => ['file-md', '--md'] },
  { command: 'merge', name: '--out that is a file', args: () => { writeFileSync(join(w, 'merge-file'), 'x'); return ['merge', run, '--out', join(w, 'merge-file')]; }, names: () => ['merge-file', '--out'] },
  { command: 'merge', name: '--out under a file', args: () => { writeFileSync(join(w, 'merge-file2'), 'x'); return ['merge', run, '--out', join(w, 'merge-file2', 'all')]; }, names: () => ['merge-file2', '--out'] },
  { command: 'export', name: '--out under a file', args: () => { writeFileSync(join(w, 'export-file'), 'x'); return ['export', run, '--format', 'json', '--out', join(w, 'export-file', 'x.json')]; }, names: () => ['export-file', '--out'] },
  { command: 'tune', name: '--out under a file (--static)', args: () => { writeFileSync(join(w, 'tune-file'), 'x'); return ['tune', 'demo', '--static', '--scenarios', scenarios('tune-out', (d) => writeFileSync(join(d, 'Dockerfile.single'), REORDERABLE)), '--out', join(w, 'tune-file', 'x')]; }, names: () => ['tune-file', '--out'] },
  // tune refusing a scenario that already holds its candidate file connects to the engine first: that case is
  // test/integration/tune/candidate-exists.test.ts.
  // ---- issue 28: hostile app and scenario folders ---------------------------------------------------------------
  { command: 'init', name: 'Dockerfile.own a link to a host file', args: () => {
    writeFileSync(join(w, 'init-victim'), '# shell start-up file\n');
    const app = hostileApp('init-link', (a) => symlinkSync(join(w, 'init-victim'), join(a, 'Dockerfile.own')));
    return ['init', join(w, 'init-link-out'), '--from', app];
  }, names: () => ['Dockerfile.own', 'outside the app'], after: () => assert.is(readFileSync(join(w, 'init-victim'), 'utf8'), '# shell start-up file\n') },
  { command: 'init', name: 'a FIFO in the app', timeoutMs: 30_000, args: () => ['init', join(w, 'init-fifo-out'), '--from', hostileApp('init-fifo', (a) => execFileSync('mkfifo', [join(a, 'server.js')]))], names: () => ['server.js', 'a FIFO'] },
  { command: 'init', name: '.nvmrc a link to /dev/zero', timeoutMs: 30_000, args: () => ['init', join(w, 'init-zero-out'), '--from', hostileApp('init-zero', (a) => symlinkSync('/dev/zero', join(a, '.nvmrc')))], names: () => ['.nvmrc', 'a device'] },
  { command: 'init', name: 'packageManager a URL', args: () => ['init', join(w, 'init-pm-out'), '--from', hostileApp('init-pm', (a) => writeFileSync(join(a, 'package.json'), '{"name":"app","version":"1.0.0","packageManager":"yarn@https://example.invalid/y.tgz"}'))], names: () => ['packageManager', 'not a released version'], after: () => assert.equal(readdirSync(join(w, 'init-pm-out')), []) },
  { command: 'run', name: 'build.secrets file outside the scenario', args: () => ['run', '--scenarios', scenarios('secret-file', (d) => setSecrets(d, { npm: { file: '/etc/hostname' } })), '--phase', 'build-cold'], names: () => ['build.secrets.npm.file', '--secret-dir /etc'] },
  { command: 'run', name: 'build.secrets file through ..', args: () => ['run', '--scenarios', scenarios('secret-up', (d) => { writeFileSync(join(d, '..', 'token'), 'x'); setSecrets(d, { tok: { file: '../token' } }); }), '--phase', 'build-cold'], names: () => ['build.secrets.tok.file', '--secret-dir'] },
  { command: 'run', name: 'build.secrets env not allowed', args: () => ['run', '--scenarios', scenarios('secret-env', (d) => setSecrets(d, { aws: { env: 'AWS_SECRET_ACCESS_KEY' } })), '--phase', 'build-cold'], names: () => ['AWS_SECRET_ACCESS_KEY', '--secret-env AWS_SECRET_ACCESS_KEY'] },
  { command: 'run', name: '--secret-env not a variable name', args: () => ['run', '--scenarios', join(w, 'scen'), '--secret-env', '1=x'], names: () => ['--secret-env', "'1=x'"] },
  { command: 'run', name: 'resume of a run whose scanner password was redacted', args: () => ['run', '--resume', resumable((i) => ((i.options as Record<string, unknown>).scannerArgs = ['--password', '***']))], names: () => ['--scanner-arg', 'give the same'] },
];

for (const c of CASES) {
  test(`${c.command}: ${c.name}: exit 2, naming it, no stack trace`, async () => {
    const args = c.args();
    const r = await cli(args, c.timeoutMs ?? 60_000);
    const text = c.report ? `${r.stdout}${r.stderr}` : r.stderr;
    const said = c.report
      ? text.split('\n').filter((l) => c.names().some((n) => l.includes(n))).map((l) => l.trim()).join(' / ')
      : r.stderr.trim().split('\n').find((l) => l.startsWith('stagebench')) ?? r.stderr.trim().split('\n')[0] ?? '';
    seen.push({ command: c.command, name: c.name, code: r.timedOut ? null : r.code, said: r.timedOut ? `(no answer in ${(c.timeoutMs ?? 60_000) / 1000} s)` : said });
    assert.not.ok(r.timedOut, `stagebench ${args.join(' ')} did not answer`);
    assert.is(r.code, 2, `exit code of stagebench ${args.join(' ')}\n${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
    assert.not.match(r.stderr, /internal error/);
    if (!c.report) assert.match(r.stderr, /^stagebench: error: /m);
    for (const n of c.names()) assert.ok(text.includes(n), `the message names ${n}:\n${text}`);
    c.after?.();
  });
}

cleanupAfter(test, () => {
  if (process.env.BAD_INPUT_TABLE) {
    for (const s of seen) console.log(`| ${s.command} | ${s.name} | ${s.code ?? 'killed'} | ${s.said.replace(/\|/g, '\\|').slice(0, 260)} |`);
  }
  dirs.remove();
});

test.run();
