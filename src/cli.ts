#!/usr/bin/env node
// The entry point only wires: find the command, run it, turn its result or error into an exit code.
import { COMMANDS } from './commands/index.ts';
import { mainHelp } from './commands/main-help.ts';
import { EXIT, StagebenchError } from './errors.ts';
import { tolerateClosedOutput } from './terminal/closed-output.ts';
import { guardTerminalOutput } from './terminal/terminal-text.ts';
import { VERSION } from './version.ts';

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    console.log(VERSION);
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`stagebench: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return EXIT.ok;
  }
  return command.run(rest);
}

tolerateClosedOutput();
guardTerminalOutput();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof StagebenchError) {
    console.error(`stagebench: error: ${err.message}`);
    process.exitCode = err.exitCode;
  } else {
    console.error('stagebench: internal error (please report it):');
    console.error(err);
    process.exitCode = EXIT.failed;
  }
}
