// A Dockerfile read instruction by instruction as written, without judging it: the one file that imports
// dockerfile-ast. The model (dockerfile-model.ts), the scenario check, init and the engine's trace reader build on it.
import { DockerfileParser, Keyword, type Instruction } from 'dockerfile-ast';

/** Every instruction keyword the builder knows, upper-case. */
export const DOCKERFILE_KEYWORDS: ReadonlySet<string> = new Set<string>(Object.values(Keyword));

export interface InstructionFlag {
  name: string;
  value: string | null;
}

export interface WrittenInstruction {
  /** The keyword upper-cased (`FROM` for `from`), also an unknown one. */
  keyword: string;
  /** 1-based first and last line (an instruction may continue over several lines). */
  line: number;
  endLine: number;
  /** Argument values as dockerfile-ast reads them, flags left out. */
  args: string[];
  /** The text after the keyword (line continuations joined), '' when there is none. */
  content: string;
  /** Flags (`--from=builder`) in order, names without their dashes. */
  flags: InstructionFlag[];
}

export interface WrittenFrom {
  /** 1-based line of the FROM. */
  line: number;
  /** Argument values, flags left out: `node:20 AS builder` is three. */
  args: string[];
  /** The image reference as written (`${NODE_IMAGE}`, `node:20@sha256:...`); null when there is none. */
  image: string | null;
  /** The `AS name` as written (not lower-cased); null when unnamed. */
  stage: string | null;
  flags: InstructionFlag[];
}

export interface WrittenArg {
  line: number;
  /** The first property's name; undefined for an `ARG` without one. */
  name: string | undefined;
  /** Its default; null when it has none (`ARG NODE_IMAGE`). */
  value: string | null;
}

export interface WrittenDockerfile {
  /** Every instruction in order, also those before the first FROM and unknown ones. */
  instructions: WrittenInstruction[];
  /** The FROM instructions in order. */
  froms: WrittenFrom[];
  /** The ARGs before the first FROM (the ones FROM lines may use). */
  initialArgs: WrittenArg[];
}

/** An instruction's flags (`--from=builder`); none for an instruction that takes none. */
function flagsOf(ins: Instruction): InstructionFlag[] {
  // Only instructions that take flags (FROM, RUN, COPY, ADD, HEALTHCHECK) have getFlags.
  const getFlags = (ins as unknown as { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> }).getFlags;
  if (typeof getFlags !== 'function') return [];
  return getFlags.call(ins).map((f) => ({ name: f.getName(), value: f.getValue() }));
}

/** Reads a Dockerfile's text (pure, never throws: dockerfile-ast parses whatever it is given). */
export function readDockerfile(text: string): WrittenDockerfile {
  const df = DockerfileParser.parse(text);
  const instructions = df.getInstructions().map((ins): WrittenInstruction => {
    const range = ins.getRange();
    return {
      keyword: ins.getKeyword().toUpperCase(),
      line: range.start.line + 1,
      endLine: range.end.line + 1,
      args: ins.getArguments().map((a) => a.getValue()),
      content: ins.getArgumentsContent() ?? '',
      flags: flagsOf(ins),
    };
  });
  const froms = df.getFROMs().map((from): WrittenFrom => ({
    line: from.getRange().start.line + 1,
    args: from.getArguments().map((a) => a.getValue()),
    image: from.getImage(),
    stage: from.getBuildStage(),
    flags: flagsOf(from),
  }));
  const initialArgs = df.getInitialARGs().map((arg): WrittenArg => ({
    line: arg.getRange().start.line + 1,
    name: arg.getProperty()?.getName(),
    value: arg.getProperty()?.getValue() ?? null,
  }));
  return { instructions, froms, initialArgs };
}

/** A FROM written on one line, split around its image reference so the reference can be replaced. */
export interface FromLine {
  /** 1-based line. */
  line: number;
  image: string;
  /** The line's text before the image (`FROM --platform=$BUILDPLATFORM `) and after it (` AS builder`). */
  before: string;
  after: string;
}

/**
 * The FROM lines of a Dockerfile, in order, with the image reference as written. A FROM continued over several
 * lines is left out: init rewrites references line by line and leaves such a FROM as it is.
 */
export function fromLines(text: string): FromLine[] {
  const lines = text.split('\n');
  return DockerfileParser.parse(text).getFROMs().flatMap((from): FromLine[] => {
    const range = from.getImageRange();
    if (range === null || range.start.line !== range.end.line || from.getRange().start.line !== from.getRange().end.line) return [];
    const line = lines[range.start.line];
    return [{
      line: range.start.line + 1,
      image: line.slice(range.start.character, range.end.character),
      before: line.slice(0, range.start.character),
      after: line.slice(range.end.character),
    }];
  });
}

/** The FROM line with another image reference in place of its own; flags and `AS name` kept. */
export function withImage(from: FromLine, image: string): string {
  return `${from.before}${image}${from.after}`;
}

/** True for the text of a FROM instruction (`FROM node:20 AS builder`), as a build trace names its steps. */
export function isFromInstruction(instruction: string): boolean {
  return /^FROM\s/i.test(instruction);
}
