// `jury eval`: run a model on an evaluation version with a progress bar, score stored answers again, list runs;
// through the API with the SDK's credentials (as `new JuryClient()` finds them).
import { type EvaluationRun, JuryClient, parseServerUrl } from '@jury/sdk';
import type { CommandOptions, CommandSpec, OptionSpec } from '../commands.ts';

/** An error the user can fix; the CLI prints it without a stack. */
export class EvalCommandError extends Error {}

const urlOption = {
  flags: '--url <url>',
  description: 'server URL (default: the saved client’s server)',
  type: 'string',
  env: 'JURY_URL',
} as const satisfies OptionSpec;
const jsonOption = { flags: '--json', description: 'print JSON', type: 'boolean', default: false } as const;

/** The `jury eval` rows of the command table. */
export const evalCommand = {
  name: 'eval',
  description: 'Run models on ground-truth evaluations (MixEval, your own) and score them',
  commands: [
    {
      name: 'run',
      description: 'Run a model on an evaluation version and show its progress; prints the score at the end',
      options: [
        { flags: '--model <model>', description: 'the model’s id (mdl_…) or its exact name', type: 'string' },
        {
          flags: '--evaluation <name>',
          description: 'the evaluation’s name or id, e.g. mixeval-hard',
          type: 'string',
        },
        { flags: '--version <version>', description: 'the version, e.g. 2024-06-01', type: 'string' },
        {
          flags: '--inference-only',
          description: 'collect the answers without grading (grade later with jury eval score)',
          type: 'boolean',
          default: false,
        },
        { flags: '--grader <grader>', description: 'rules (default) or a judge model’s id', type: 'string' },
        {
          flags: '--no-cache',
          description: 'ask the model again even for a prompt it answered before',
          type: 'boolean',
        },
        { flags: '--no-wait', description: 'print the queued run and return', type: 'boolean' },
        urlOption,
        jsonOption,
      ],
      examples: [
        'jury eval run --model "Local Llama" --evaluation mixeval-hard --version 2024-06-01',
        'jury eval run --model mdl_4kq9x2m7p1d8s3wz --evaluation mixeval --version 2024-08-11 --inference-only --no-cache',
      ],
    },
    {
      name: 'score',
      description: "Grade a finished run's stored answers again (e.g. with a judge model); updates the run",
      arguments: [{ name: 'run', description: 'the run’s id (evr_…)', required: true }],
      options: [
        { flags: '--grader <grader>', description: 'rules (default) or a judge model’s id', type: 'string' },
        urlOption,
        jsonOption,
      ],
    },
    {
      name: 'runs',
      description: "Your organization's runs, newest first",
      options: [
        { flags: '--model <model>', description: 'only this model (id or exact name)', type: 'string' },
        { flags: '--evaluation <name>', description: 'only this evaluation', type: 'string' },
        {
          flags: '--status <status>',
          description: 'queued, running, completed, failed or cancelled',
          type: 'string',
        },
        { flags: '--since <date>', description: 'created at or after (ISO date-time)', type: 'string' },
        { flags: '--min-score <n>', description: 'score at least this (0-100)', type: 'string' },
        urlOption,
        jsonOption,
      ],
    },
  ],
} as const satisfies CommandSpec;

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function clientFor(url: string | undefined): JuryClient {
  return new JuryClient(url ? { url: parseServerUrl(url, '--url') } : {});
}

async function modelId(client: JuryClient, idOrName: string): Promise<string> {
  if (/^mdl_/.test(idOrName)) return idOrName;
  const found = await client.models.findByName(idOrName);
  if (!found) throw new EvalCommandError(`No model named "${idOrName}"; \`jury models list\` shows them.`);
  return found.id;
}

const fixed = (n: number | null) => (n === null ? '—' : n.toFixed(2));

function printRun(run: EvaluationRun): void {
  const p = run.progress;
  out(`Run ${run.id}: ${run.evaluation} ${run.version}, ${run.status}`);
  out(
    `  Items      ${p.finished}/${p.total} (${p.answered} answered, ${p.cached} cached, ${p.failed} failed, ${p.skipped} skipped)`,
  );
  out(`  Score      ${fixed(run.score)}${run.grader ? ` (graded by ${run.grader})` : ''}`);
  for (const [split, part] of Object.entries(run.splits ?? {}) as [
    string,
    { score: number; items: number },
  ][])
    out(`    ${split.padEnd(16)} ${fixed(part.score)} over ${part.items} items`);
  out(`  Tokens     ${run.inputTokens} in, ${run.outputTokens} out; cost $${run.cost.toFixed(4)}`);
  if (run.error) out(`  Error      ${run.error}`);
}

export const evalHandlers = {
  async 'eval run'(_args: string[], options: CommandOptions<'eval run'>) {
    const flags = options as typeof options & { cache?: boolean; wait?: boolean };
    for (const flag of ['model', 'evaluation', 'version'] as const)
      if (!options[flag]) throw new EvalCommandError(`--${flag} is required.`);
    const client = clientFor(options.url);
    const run = await client.evaluations.run({
      model: await modelId(client, options.model!),
      evaluation: options.evaluation!,
      version: options.version!,
      inferenceOnly: options.inferenceOnly,
      ...(options.grader ? { grader: options.grader } : {}),
      cache: flags.cache !== false,
    });
    const done = flags.wait === false ? run.data : await run.displayProgressBar({ pollIntervalMs: 500 });
    if (options.json) return out(JSON.stringify(done, null, 2));
    printRun(done);
    if (done.status === 'failed') process.exitCode = 1;
  },

  async 'eval score'([id]: string[], options: CommandOptions<'eval score'>) {
    const client = clientFor(options.url);
    const run = await client.evaluations.getRun(id ?? '');
    const scored = await run.score(options.grader ? { grader: options.grader } : {});
    if (options.json) return out(JSON.stringify(scored, null, 2));
    printRun(scored);
  },

  async 'eval runs'(_args: string[], options: CommandOptions<'eval runs'>) {
    const client = clientFor(options.url);
    const minScore = options.minScore === undefined ? undefined : Number(options.minScore);
    if (minScore !== undefined && !Number.isFinite(minScore))
      throw new EvalCommandError(`--min-score must be a number, got "${options.minScore}".`);
    const { data } = await client.evaluations.runs({
      ...(options.model ? { model: await modelId(client, options.model) } : {}),
      ...(options.evaluation ? { evaluation: options.evaluation } : {}),
      ...(options.status ? { status: options.status as EvaluationRun['status'] } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
      amount: 500,
    });
    if (options.json)
      return out(
        JSON.stringify(
          data.map((r) => r.data),
          null,
          2,
        ),
      );
    if (data.length === 0) return out('No runs yet: `jury eval run --help` shows how to start one.');
    const rows = data.map(({ data: r }) => [
      r.id,
      r.modelId,
      `${r.evaluation} ${r.version}`,
      r.status,
      `${r.progress.finished}/${r.progress.total}`,
      fixed(r.score),
      r.createdAt,
    ]);
    const header = ['ID', 'MODEL', 'EVALUATION', 'STATUS', 'ITEMS', 'SCORE', 'CREATED'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    for (const r of [header, ...rows])
      out(
        r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
  },
};
