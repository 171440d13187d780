/**
 * Describes the machine a benchmark ran on, for the `machine` field of `bench/results/*.json`,
 * so figures measured on different hardware are never compared blindly.
 */
import os from 'node:os';

/** The hardware and runtime a benchmark result was measured on. */
export interface MachineDescription {
  /** CPU model string as reported by the OS (first core). */
  cpus: string;
  /** Number of logical cores. */
  cores: number;
  /** Total memory in GiB, rounded to 0.1. */
  memGiB: number;
  /** Node.js version running the benchmark, e.g. `v26.1.0`. */
  node: string;
  /** Operating system: `platform release arch`. */
  os: string;
}

/**
 * Returns the description of the current machine.
 *
 * @example
 * import { describeMachine } from './machine.ts';
 * const result = { machine: describeMachine(), seconds: 1.2 };
 */
export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  return {
    cpus: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}
