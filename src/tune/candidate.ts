// The reordered candidate Dockerfile: in each stage that copies the whole context before installing dependencies,
// copy only the manifests, install, then copy the rest; and `npm ci` instead of `npm install` where a lockfile
// exists. Pure: text in, text and the list of edits out. Lines the edits do not touch are kept as written.
import {
  copiesWholeContext,
  copyDestination,
  copySources,
  instructionText,
  parseDockerfile,
  type DockerfileModel,
  type ModelInstruction,
} from '../dockerfile/dockerfile-model.ts';
import { ignoreMatcher } from '../dockerfile/dockerignore.ts';
import { LOCKFILES } from './rules.ts';
import { dependencyInstall, isDevPrune, isManifestInstall, splitCommands, simpleCommands } from './shell-commands.ts';
import type { Candidate, CandidateEdit, TuneInput } from './types.ts';

/** Files an install reads, in the order they are listed in the COPY. */
const MANIFESTS = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', '.npmrc', '.yarnrc.yml'];

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^(?:\\./)?${body}$`);
}

/** Does this COPY already bring package.json (`COPY package*.json ./`)? */
function copiesManifest(ins: ModelInstruction): boolean {
  if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.from !== undefined) return false;
  return copySources(ins).some((s) => globToRegExp(s).test('package.json'));
}

function manifestDestination(dest: string): string {
  if (dest === '.' || dest === './') return './';
  return dest.endsWith('/') ? dest : `${dest}/`;
}

const NPM_INSTALL_WORD = /^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:sudo\s+)?(?:\S*\/)?npm)\s+(?:install|i|in|ins|inst|insta|instal|isnt|isnta|isntal|isntall|add)(?=\s|$)/;

/** One simple command of a RUN, maybe rewritten, with the operator that follows it. */
interface Segment { text: string; next: string }

function runText(ins: ModelInstruction, segments: Segment[], multiline: boolean): string[] {
  const flags = ins.flagTexts.length > 0 ? `${ins.flagTexts.join(' ')} ` : '';
  const parts = segments.map((s, i) => (i === 0 ? s.text : `${segments[i - 1].next === '\n' ? ';' : segments[i - 1].next} ${s.text}`));
  if (!multiline || parts.length === 1) return [`RUN ${flags}${parts.join(' ')}`];
  return parts.map((p, i) => (i === 0 ? `RUN ${flags}${p}` : `    ${p}`)).map((l, i, all) => (i < all.length - 1 ? `${l} \\` : l));
}

interface Plan {
  /** Replacement lines for an instruction, by its first line; the original range is dropped. */
  replace: Map<number, { endLine: number; lines: string[] }>;
  edits: CandidateEdit[];
}

/** Rewrites bare `npm install` segments to `npm ci`; returns the segments and whether anything changed. */
function npmCiSegments(ins: ModelInstruction, useCi: boolean): { segments: Segment[]; changed: boolean } {
  const segments = splitCommands(ins.command);
  if (!useCi) return { segments, changed: false };
  let changed = false;
  const out = segments.map((seg) => {
    const [cmd] = simpleCommands(seg.text);
    const inst = cmd ? dependencyInstall(cmd) : null;
    if (!inst || inst.tool !== 'npm' || inst.kind !== 'install' || !isManifestInstall(inst) || !NPM_INSTALL_WORD.test(seg.text)) return seg;
    changed = true;
    return { ...seg, text: seg.text.replace(NPM_INSTALL_WORD, '$1 ci') };
  });
  return { segments: out, changed };
}

function isEditableRun(ins: ModelInstruction): boolean {
  // Exec-form and heredoc RUNs are left as written: the shell splitting below does not apply to them.
  return ins.keyword === 'RUN' && !ins.jsonForm && !/^\s*<</.test(ins.command) && ins.command.length > 0;
}

export function candidateDockerfile(input: TuneInput): Candidate {
  const model: DockerfileModel = parseDockerfile(input.dockerfile, input.target, input.buildArgs);
  const ignored = ignoreMatcher(input.dockerignore);
  const inContext = (f: string): boolean => input.contextEntries.includes(f) && !ignored(f);
  const lockfile = LOCKFILES.find(inContext);
  const manifests = MANIFESTS.filter(inContext);
  const plan: Plan = { replace: new Map(), edits: [] };
  const reordered = new Set<number>();

  for (const stage of model.stages) {
    const copy = stage.instructions.find(copiesWholeContext);
    if (!copy || !manifests.includes('package.json')) continue;
    const install = stage.instructions.find((i) => i.line > copy.line && i.keyword === 'RUN'
      && simpleCommands(i.command).map(dependencyInstall).some(isManifestInstall));
    if (!install) continue;
    const copyLines = instructionText(model, copy).split('\n');
    const alreadyCopied = stage.instructions.some((i) => i.line < copy.line && copiesManifest(i));
    const flags = copy.flagTexts.length > 0 ? `${copy.flagTexts.join(' ')} ` : '';
    const manifestCopy = `COPY ${flags}${manifests.join(' ')} ${manifestDestination(copyDestination(copy))}`;
    plan.replace.set(copy.line, { endLine: copy.endLine, lines: alreadyCopied ? [] : [manifestCopy] });
    plan.edits.push(alreadyCopied
      ? { kind: 'move-context-copy', line: copy.line, description: `line ${copy.line}: \`${copyLines.join(' ')}\` moved below the install (the manifests are already copied above it)` }
      : { kind: 'copy-manifests', line: copy.line, description: `line ${copy.line}: \`${copyLines.join(' ')}\` replaced by \`${manifestCopy}\`, so the install layer depends on the manifests only` });

    let runLines = instructionText(model, install).split('\n');
    let after: string[] = [];
    if (isEditableRun(install)) {
      const { segments, changed } = npmCiSegments(install, lockfile !== undefined);
      // Split after the last install command, where the commands that need the sources (npm run build) begin.
      const cmds = segments.map((s) => simpleCommands(s.text)[0]);
      let last = -1;
      cmds.forEach((c, i) => { if (c && dependencyInstall(c) !== null) last = i; });
      // Commands chained to the install by || or | belong with it.
      while (last + 1 < segments.length && (segments[last].next === '||' || segments[last].next === '|')) last++;
      const rest = segments.slice(last + 1);
      const multiline = install.endLine > install.line;
      if (rest.length > 0 && (segments[last].next === '&&' || segments[last].next === ';' || segments[last].next === '\n')) {
        runLines = runText(install, segments.slice(0, last + 1), multiline);
        after = runText(install, rest, multiline);
        // Honest about the cost: a prune that ran in the install's layer now runs in a later one, and layers only add.
        const prune = rest.some((s) => { const [c] = simpleCommands(s.text); return c !== undefined && isDevPrune(c); })
          ? '; the devDependency prune now runs in a later layer, so the install layer keeps them (a multi-stage build avoids that)'
          : '';
        plan.edits.push({ kind: 'split-run', line: install.line, description: `line ${install.line}: RUN split in two: the install stays before the sources are copied, \`${rest.map((s) => s.text).join(' && ')}\` runs after${prune}` });
      } else if (changed) {
        runLines = runText(install, segments, multiline);
      }
      if (changed) {
        plan.edits.push({ kind: 'npm-ci', line: install.line, description: `line ${install.line}: npm install -> npm ci (${lockfile} is in the context)` });
      }
    }
    plan.replace.set(install.line, { endLine: install.endLine, lines: [...runLines, ...copyLines, ...after] });
    if (!alreadyCopied) {
      plan.edits.push({ kind: 'move-context-copy', line: copy.line, description: `line ${copy.line}: \`${copyLines.join(' ')}\` moved after the install (line ${install.line})` });
    }
    reordered.add(install.line);
  }

  // npm install -> npm ci in the RUNs the reorder did not already rewrite.
  if (lockfile !== undefined) {
    for (const stage of model.stages) {
      for (const ins of stage.instructions) {
        if (reordered.has(ins.line) || !isEditableRun(ins)) continue;
        const { segments, changed } = npmCiSegments(ins, true);
        if (!changed) continue;
        plan.replace.set(ins.line, { endLine: ins.endLine, lines: runText(ins, segments, ins.endLine > ins.line) });
        plan.edits.push({ kind: 'npm-ci', line: ins.line, description: `line ${ins.line}: npm install -> npm ci (${lockfile} is in the context)` });
      }
    }
  }

  const out: string[] = [];
  for (let n = 1; n <= model.lines.length; n++) {
    const r = plan.replace.get(n);
    if (r) {
      out.push(...r.lines);
      n = r.endLine;
    } else {
      out.push(model.lines[n - 1]);
    }
  }
  return { text: out.join('\n'), edits: plan.edits.sort((a, b) => a.line - b.line) };
}
