// The example workflows and action.yml (issue 28): every action pinned to a full commit, nothing granted at the top
// of a workflow and each job only what it needs, checkouts keep no credentials for install scripts to read, the
// job that can write publishes only after a benchmark that passed and installs nothing, artifact names differ per
// use, and the action leaves the caller's Node.js alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ROOT } from '../../support/cli.ts';

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string };
type Job = { permissions?: unknown; steps: Step[]; if?: string; needs?: string | string[] };
type Workflow = { permissions?: unknown; jobs: Record<string, Job> };

const DIR = join(ROOT, 'examples', 'github-actions');
const workflows = readdirSync(DIR).filter((f) => f.endsWith('.yml')).map((f) => ({ f, w: parse(readFileSync(join(DIR, f), 'utf8')) as Workflow }));
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { steps: Step[] }; inputs: Record<string, { default?: string }> };
const allSteps = [...workflows.flatMap(({ f, w }) => Object.values(w.jobs).flatMap((j) => j.steps.map((s) => ({ f, s })))), ...action.runs.steps.map((s) => ({ f: 'action.yml', s }))];

test('every action is pinned to a full commit SHA (the composite example names a placeholder commit)', () => {
  for (const { f, s } of allSteps) {
    if (!s.uses || s.uses.startsWith('./')) continue;
    if (s.uses.startsWith('OWNER/stagebench@')) continue;
    assert.match(s.uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${f}: ${s.uses}`);
  }
});

test('workflows grant nothing at the top; every job names its own permissions; only the chart job writes', () => {
  for (const { f, w } of workflows) {
    assert.equal(w.permissions, {}, `${f}: top-level permissions`);
    for (const [name, job] of Object.entries(w.jobs)) {
      assert.ok(job.permissions !== undefined, `${f}: job ${name} has no permissions of its own`);
      const writes = Object.entries(job.permissions as Record<string, string>).filter(([, v]) => v === 'write');
      if (name === 'chart') assert.equal(writes, [['contents', 'write']]);
      else assert.equal(writes, [], `${f}: job ${name} writes`);
    }
  }
});

test('every checkout leaves no credentials behind', () => {
  for (const { f, s } of allSteps) {
    if (s.uses?.startsWith('actions/checkout@')) assert.is(s.with?.['persist-credentials'], false, `${f}: ${s.uses}`);
  }
});

test('the chart job publishes only after a passed benchmark, and installs nothing', () => {
  const chart = workflows.find(({ f }) => f === 'stagebench.yml')!.w.jobs.chart;
  assert.is(chart.needs, 'bench');
  assert.not.match(chart.if ?? '', /always\(\)|failure\(\)/);
  for (const s of chart.steps) assert.not.match(s.run ?? '', /npm (ci|install)/);
});

test('artifact names differ per use: run attempt in the workflows, job, step and a random part in the action', () => {
  for (const { f, s } of allSteps) {
    if (!s.uses?.startsWith('actions/upload-artifact@')) continue;
    const name = String(s.with?.name);
    if (f === 'action.yml') assert.is(name, '${{ steps.name.outputs.artifact-name }}');
    else assert.ok(/matrix\.shard|run_attempt/.test(name), `${f}: ${name}`);
  }
  assert.is(action.inputs['artifact-name'].default, '');
  const naming = action.runs.steps.find((s) => s.name === 'Name the artifact')!;
  assert.match(naming.run!, /\$GITHUB_JOB-\$GITHUB_ACTION-/);
});

test("the action keeps the caller's Node.js and installs its dependencies without scripts", () => {
  assert.not.ok(action.runs.steps.some((s) => s.uses?.startsWith('actions/setup-node')), 'no setup-node in the action');
  const build = action.runs.steps.find((s) => s.name === 'Build stagebench')!;
  assert.match(build.run!, /npm ci --ignore-scripts/);
});

test.run();
