// `npm run docs:cli`: writes docs/cli.md, the command-line reference, from the CLI's own help texts (what
// `stagebench --help` and `stagebench COMMAND --help` print), so the page cannot drift from the code.
// test/unit/cli/docs-cli.test.ts fails when the page and the help differ: run this after changing a help text or
// adding a command. `npm run docs:cli -- --check` only says whether the page is current (exit 1 when it is not).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/commands/index.ts';
import { mainHelp } from '../src/commands/main-help.ts';

export const CLI_PAGE = fileURLToPath(new URL('../docs/cli.md', import.meta.url));

const fence = (text: string) => ['```text', text.replace(/\s+$/, ''), '```'].join('\n');

/** The text of docs/cli.md as the help texts of this checkout make it. */
export async function cliReference(): Promise<string> {
  const sections = [
    '# Command-line reference',
    '',
    "Generated from the CLI's own help texts by `npm run docs:cli` (bench/docs-cli.ts): do not edit by hand. A test",
    '(test/unit/cli/docs-cli.test.ts) fails when this page and `stagebench --help` differ.',
    '',
    `Commands: ${Object.keys(COMMANDS).map((name) => `[${name}](#stagebench-${name})`).join(' · ')}`,
    '',
    '## stagebench',
    '',
    fence(mainHelp()),
  ];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const command = await entry.load();
    sections.push('', `## stagebench ${name}`, '', fence(command.help));
  }
  return `${sections.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const page = await cliReference();
  if (process.argv.includes('--check')) {
    const current = readFileSync(CLI_PAGE, 'utf8') === page;
    console.log(current ? 'docs/cli.md is current' : 'docs/cli.md differs from the help texts: run npm run docs:cli');
    process.exitCode = current ? 0 : 1;
  } else {
    writeFileSync(CLI_PAGE, page);
    console.log(`wrote ${CLI_PAGE}`);
  }
}
