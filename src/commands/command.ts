// The shape every subcommand has: the CLI entry finds it by name, prints its help, and turns its result into the exit code.

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text, printed by `stagebench NAME --help`. */
  help: string;
  /** Runs the command; resolves to the exit code. Throws StagebenchError for usage and environment problems. */
  run(argv: string[]): Promise<number>;
}
