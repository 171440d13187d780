#!/usr/bin/env node
import { JuryError } from '@jury/sdk';
import { VERSION } from '@jury/server';
import { CliError, handlers } from './handlers.ts';
import { buildProgram } from './program.ts';

try {
  await buildProgram(handlers, VERSION).parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError || err instanceof JuryError) {
    process.stderr.write(`jury: ${err.message}\n`);
  } else {
    process.stderr.write(`jury: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exitCode = 1;
}
