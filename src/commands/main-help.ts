// `stagebench --help`: the command list, from the table of commands. Apart from cli.ts so that the command-line
// reference (docs/cli.md, `npm run docs:cli`) is made from the very text the CLI prints.
import { VERSION } from '../version.ts';
import { COMMANDS } from './index.ts';

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `stagebench ${VERSION}: benchmark Docker image builds of Node.js apps (single-stage, multi-stage, distroless)`,
    '',
    'Usage: stagebench COMMAND [OPTIONS]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'stagebench COMMAND --help' for a command's options.",
    'Exit codes: 0 done, 1 a sample failed or a regression was found, 2 bad usage or input, 3 environment missing something.',
  ].join('\n');
}
