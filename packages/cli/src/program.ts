import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type CommandOptions,
  type CommandPath,
  type CommandSpec,
  type OptionSpec,
  PROGRAM,
} from './commands.ts';

export type Handlers = {
  [P in CommandPath]: (args: string[], options: CommandOptions<P>) => Promise<void>;
};

function parseInteger(spec: OptionSpec) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError('Not an integer.');
    if (spec.min !== undefined && n < spec.min)
      throw new InvalidArgumentError(`Must be at least ${spec.min}.`);
    return n;
  };
}

function buildOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.env) option.env(spec.env);
  if (spec.type === 'int') option.argParser(parseInteger(spec));
  if (spec.default !== undefined) option.default(spec.default);
  return option;
}

function buildCommand(spec: CommandSpec, parentPath: string, handlers: Handlers, into: Command): void {
  const path = parentPath ? `${parentPath} ${spec.name}` : spec.name;
  const command = into.command(spec.name).description(spec.description);
  for (const arg of spec.arguments ?? [])
    command.argument(arg.required ? `<${arg.name}>` : `[${arg.name}]`, arg.description);
  for (const opt of spec.options ?? []) command.addOption(buildOption(opt));
  if (spec.examples?.length)
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  if (spec.commands?.length) {
    for (const sub of spec.commands) buildCommand(sub, path, handlers, command);
    return;
  }
  const handler = handlers[path as CommandPath] as (args: string[], options: unknown) => Promise<void>;
  command.action(async (...received: unknown[]) => {
    // Commander passes the declared arguments, then the options object, then the command.
    const args = received.slice(0, spec.arguments?.length ?? 0) as string[];
    const options = received[spec.arguments?.length ?? 0];
    await handler(args, options);
  });
}

/**
 * Builds the `jury` commander program from the option table in commands.ts, so `--help` is
 * generated from the same data the parser uses.
 */
export function buildProgram(handlers: Handlers, version: string): Command {
  const program = new Command(PROGRAM.name)
    .description(PROGRAM.description)
    .version(version)
    // `jury --version` only before a command, so `jury eval run --version 2024-06-01` is the run's option.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');
  for (const spec of PROGRAM.commands) buildCommand(spec, '', handlers, program);
  return program;
}
