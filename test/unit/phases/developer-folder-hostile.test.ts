// The developer folder of the build-context phases, made from a scenario someone else wrote: its own .git (an
// fsmonitor in its config, a pre-commit hook) runs nothing, and the install sees package.json and the lockfile only
// (no .npmrc). On the in-memory engine, with a stand-in npm on PATH that records what it was given.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhase } from '../../../src/phases/index.ts';
import type { SampleSlot } from '../../../src/phases/phase.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { Workspace } from '../../../src/scenario/workspace.ts';
import { memoryContext } from '../../support/memory-context.ts';
import { MemoryEngine } from '../../support/memory-engine.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

test("a scenario's .git config and hooks, and its .npmrc, run nothing on the host", async () => {
  const root = tempDir('devfolder-hostile');
  const marker = join(root, 'PWNED');
  const evil = join(root, 'evil.sh');
  writeFileSync(evil, `#!/bin/sh\necho "$0 $*" >> ${marker}\nexit 0\n`);
  chmodSync(evil, 0o755);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const npmLog = join(root, 'npm.log');
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\ncase "$*" in *"config get"*) exit 0;; esac\n{ echo "args: $*"; echo "files: $(ls -A | tr '\\n' ' ')"; } >> ${npmLog}\nmkdir -p node_modules/dep && echo x > node_modules/dep/index.js\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  const dir = makeScenario(root, 'demo', {
    variants: { single: { dockerfile: slimDockerfile('echo one') } },
    files: {
      'package-lock.json': '{"name":"demo","lockfileVersion":3,"packages":{}}\n',
      '.npmrc': `git=${evil}\n`,
      '.git/config': `[core]\n\trepositoryformatversion = 0\n\tfsmonitor = ${evil}\n`,
      '.git/hooks/pre-commit': `#!/bin/sh\n${evil} pre-commit\n`,
      '.git/HEAD': 'ref: refs/heads/main\n',
    },
  });
  chmodSync(join(dir, '.git/hooks/pre-commit'), 0o755);
  const scenario = loadScenario(dir);
  const logs: string[] = [];
  const ctx = memoryContext(new MemoryEngine(), (l) => logs.push(l));
  const workspace = new Workspace(scenario, join(root, 'ws'));
  const path = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${path}`;
  try {
    const slot: SampleSlot = { scenario, variant: 'single', phase: 'build-context-ignored', workspace };
    const handler = createPhase(ctx, slot);
    await handler.prepare(1);
    const m = await handler.measure(1);
    await handler.after?.(1);
    assert.ok(m.ok, m.error);
  } finally {
    process.env.PATH = path;
  }
  assert.not.ok(existsSync(marker), existsSync(marker) ? readFileSync(marker, 'utf8') : '');
  const seen = readFileSync(npmLog, 'utf8');
  assert.match(seen, /files: package-lock\.json package\.json \n/);
  assert.match(seen, /--userconfig=/);
  assert.ok(existsSync(join(root, 'ws', 'developer-folders', 'demo', 'node_modules', 'dep', 'index.js')), 'node_modules moved into the developer folder');
});

test.run();
