// `jury models`: models registered by their endpoint, through the API with the SDK's credentials (as
// `new JuryClient()` finds them: JURY_CLIENT_ID / JURY_CLIENT_SECRET, else the credentials file `jury serve` saves).
import {
  type EndpointParams,
  type EndpointTestResult,
  JuryClient,
  type JuryModel,
  type Model,
  type ModelChanges,
  type ModelParams,
  parseServerUrl,
} from '@jury/sdk';
import type { CommandOptions, CommandSpec, OptionSpec } from '../commands.ts';

/** An error the user can fix; the CLI prints it without a stack. */
export class ModelsCommandError extends Error {}

const urlOption = {
  flags: '--url <url>',
  description: 'server URL (default: the saved client’s server)',
  type: 'string',
  env: 'JURY_URL',
} as const satisfies OptionSpec;
const jsonOption = { flags: '--json', description: 'print JSON', type: 'boolean', default: false } as const;
const modelArgument = [
  { name: 'model', description: 'the model’s id (mdl_…) or its exact name', required: true },
] as const;

/** The fields create and edit share; edit changes only those given. */
const fieldOptions = [
  { flags: '--name <name>', description: 'unique in your organization', type: 'string' },
  { flags: '--description <text>', description: 'what the model is', type: 'string' },
  { flags: '--publisher <name>', description: 'who made it, e.g. Meta', type: 'string' },
  { flags: '--architecture <text>', description: 'e.g. decoder-only transformer', type: 'string' },
  { flags: '--parameter-count <n>', description: 'parameters, e.g. 8e9', type: 'string' },
  {
    flags: '--visibility <visibility>',
    description: 'private (your organization only) or public (every organization on the server)',
    type: 'string',
  },
  {
    flags: '--publicly-runnable <yes|no>',
    description: 'other organizations may run evaluations on it, at your cost (public models only)',
    type: 'string',
  },
  {
    flags: '--endpoint <url>',
    description: 'the URL requests are POSTed to, e.g. http://127.0.0.1:8000/v1/chat/completions',
    type: 'string',
  },
  {
    flags: '--preset <preset>',
    description: 'openai-chat: an OpenAI-compatible chat completions endpoint (sets body template and path)',
    type: 'string',
  },
  { flags: '--model <name>', description: 'openai-chat: the model name the server expects', type: 'string' },
  {
    flags: '--api-key <key>',
    description:
      'openai-chat: sent as Authorization: Bearer <key> (prefer the variable: it stays out of history)',
    type: 'string',
    env: 'JURY_MODEL_API_KEY',
  },
  {
    flags: '--headers <json>',
    description: 'headers as a JSON object; in edit a value replaces a header and null removes it',
    type: 'string',
  },
  {
    flags: '--body-template <json>',
    description: 'the JSON body with %PROMPT% inside a string, e.g. {"prompt": "%PROMPT%"}',
    type: 'string',
  },
  {
    flags: '--response-path <json>',
    description: 'where the answer is, e.g. ["json","choices",0,"text"]; [] is the raw body',
    type: 'string',
  },
  { flags: '--requests-per-minute <n>', description: 'limit ("none" clears it in edit)', type: 'string' },
  { flags: '--tokens-per-minute <n>', description: 'limit, request and response tokens', type: 'string' },
  { flags: '--context-window <tokens>', description: 'limit of one call, prompt and answer', type: 'string' },
  { flags: '--cost-input <usd>', description: 'USD per 1,000 input tokens', type: 'string' },
  { flags: '--cost-output <usd>', description: 'USD per 1,000 output tokens', type: 'string' },
  { flags: '--cost-hour <usd>', description: 'USD per instance hour', type: 'string' },
] as const satisfies readonly OptionSpec[];

/** The `jury models` rows of the command table. */
export const modelsCommand = {
  name: 'models',
  description: 'Register and manage models by their HTTP endpoint (for automated evaluations)',
  commands: [
    {
      name: 'create',
      description: 'Register a model; with --model and no --body-template it uses the openai-chat preset',
      options: [
        ...fieldOptions,
        { flags: '--test', description: 'send one test request afterwards', type: 'boolean', default: false },
        urlOption,
        jsonOption,
      ],
      examples: [
        'jury models create --name "Local Llama" --endpoint http://127.0.0.1:8000/v1/chat/completions --model llama3 --test',
        'JURY_MODEL_API_KEY=sk-… jury models create --name gpt-4o-mini --endpoint https://api.openai.com/v1/chat/completions --model gpt-4o-mini --requests-per-minute 500',
        `jury models create --name mine --endpoint http://127.0.0.1:9000/generate --body-template '{"task": "%PROMPT%"}' --response-path '["json","res"]'`,
      ],
    },
    {
      name: 'list',
      description: "Your organization's models and other organizations' public ones",
      options: [
        { flags: '--name <text>', description: 'only names containing this', type: 'string' },
        { flags: '--owner <owner>', description: 'mine, others or any', type: 'string', default: 'any' },
        {
          flags: '--sort <sort>',
          description: 'name, createdAt or parameterCount; a leading - for descending',
          type: 'string',
          default: 'name',
        },
        urlOption,
        jsonOption,
      ],
    },
    {
      name: 'get',
      description: 'A model with its endpoint (header values masked), limits and costs',
      arguments: modelArgument,
      options: [urlOption, jsonOption],
    },
    {
      name: 'edit',
      description: 'Change a model of your organization: only the options given change',
      arguments: modelArgument,
      options: [...fieldOptions, urlOption, jsonOption],
      examples: [
        'jury models edit "Local Llama" --visibility public --requests-per-minute 60',
        `jury models edit mdl_4kq9x2m7p1d8s3wz --headers '{"Authorization": "Bearer sk-new", "X-Old": null}'`,
      ],
    },
    {
      name: 'delete',
      description: 'Delete a model of your organization',
      arguments: modelArgument,
      options: [urlOption],
    },
    {
      name: 'test',
      description: "Send one real request to the model's endpoint: status, raw response, extracted answer",
      arguments: modelArgument,
      options: [
        {
          flags: '--prompt <text>',
          description: 'the prompt to send',
          type: 'string',
          default: 'Say hello in one word.',
        },
        urlOption,
        jsonOption,
      ],
      examples: ['jury models test "Local Llama" --prompt "What is 2 + 2?"'],
    },
  ],
} as const satisfies CommandSpec;

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function clientFor(url: string | undefined): JuryClient {
  return new JuryClient(url ? { url: parseServerUrl(url, '--url') } : {});
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ModelsCommandError(`${flag} must be JSON (${(err as Error).message}): ${text}`);
  }
}

/** A number option; `none` clears it where clearing is allowed. */
function numberOf(text: string | undefined, flag: string, clearable: boolean): number | null | undefined {
  if (text === undefined) return undefined;
  if (clearable && text.trim() === 'none') return null;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new ModelsCommandError(`${flag} must be a number, got "${text}".`);
  return n;
}

function yesNo(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (/^(yes|true|1)$/i.test(text)) return true;
  if (/^(no|false|0)$/i.test(text)) return false;
  throw new ModelsCommandError(`--publicly-runnable is yes or no, got "${text}".`);
}

type FieldOptions = CommandOptions<'models edit'>;

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function detailsOf(o: FieldOptions, clearable: boolean) {
  const limits = defined({
    requestsPerMinute: numberOf(o.requestsPerMinute, '--requests-per-minute', clearable),
    tokensPerMinute: numberOf(o.tokensPerMinute, '--tokens-per-minute', clearable),
    contextWindowTokens: numberOf(o.contextWindow, '--context-window', clearable),
  });
  const costs = defined({
    perThousandInputTokens: numberOf(o.costInput, '--cost-input', clearable),
    perThousandOutputTokens: numberOf(o.costOutput, '--cost-output', clearable),
    perInstanceHour: numberOf(o.costHour, '--cost-hour', clearable),
  });
  return defined({
    name: o.name,
    description: o.description,
    publisher: o.publisher,
    architecture: o.architecture,
    parameterCount: numberOf(o.parameterCount, '--parameter-count', clearable),
    visibility: o.visibility as Model['visibility'] | undefined,
    publiclyRunnable: yesNo(o.publiclyRunnable),
    limits: Object.keys(limits).length ? limits : undefined,
    costs: Object.keys(costs).length ? costs : undefined,
  });
}

/** The endpoint options as the API takes them; a preset when asked for, or when --model comes without a template. */
function endpointOf(o: FieldOptions) {
  const preset =
    o.preset ?? (o.model !== undefined && o.bodyTemplate === undefined ? 'openai-chat' : undefined);
  return defined({
    url: o.endpoint,
    preset: preset as 'openai-chat' | undefined,
    model: o.model,
    apiKey: o.apiKey,
    headers:
      o.headers === undefined ? undefined : (parseJson(o.headers, '--headers') as Record<string, string>),
    bodyTemplate: o.bodyTemplate,
    responsePath:
      o.responsePath === undefined
        ? undefined
        : (parseJson(o.responsePath, '--response-path') as (string | number)[]),
  });
}

/** A model by id, or by exact name among yours first. */
async function resolveModel(client: JuryClient, idOrName: string): Promise<JuryModel> {
  if (/^mdl_/.test(idOrName)) return client.models.get(idOrName);
  const found = await client.models.findByName(idOrName);
  if (!found) throw new ModelsCommandError(`No model named "${idOrName}"; \`jury models list\` shows them.`);
  return found;
}

function printModel(m: Model): void {
  out(`${m.name}  (${m.id})`);
  const rows: [string, string | number | null][] = [
    ['Owner', `${m.organizationName}${m.owned ? ' (yours)' : ''}`],
    ['Visibility', `${m.visibility}${m.publiclyRunnable ? ', publicly runnable' : ''}`],
    ['Description', m.description],
    ['Publisher', m.publisher],
    ['Architecture', m.architecture],
    ['Parameters', m.parameterCount],
  ];
  if (m.endpoint) {
    rows.push(['Endpoint', m.endpoint.url]);
    for (const [name, value] of Object.entries(m.endpoint.headers)) rows.push([`  ${name}`, value]);
    rows.push(['Body template', m.endpoint.bodyTemplate.replace(/\s*\n\s*/g, ' ')]);
    rows.push(['Response path', JSON.stringify(m.endpoint.responsePath)]);
  }
  rows.push(
    ['Requests/min', m.limits.requestsPerMinute],
    ['Tokens/min', m.limits.tokensPerMinute],
    ['Context window', m.limits.contextWindowTokens],
    ['$/1k input', m.costs.perThousandInputTokens],
    ['$/1k output', m.costs.perThousandOutputTokens],
    ['$/hour', m.costs.perInstanceHour],
  );
  for (const [label, value] of rows)
    if (value !== null && value !== '') out(`  ${label.padEnd(15)} ${value}`);
}

function printTest(t: EndpointTestResult): void {
  out(`${t.ok ? 'OK' : 'FAILED'}  status ${t.status ?? '—'}  ${Math.round(t.latencyMs)} ms`);
  if (t.ok) out(`Answer: ${t.answer}`);
  else if (t.error)
    out(`Error (${t.error.kind}${t.error.transient ? ', transient' : ''}): ${t.error.message}`);
  if (t.response.body) out(`Response${t.response.truncated ? ' (truncated)' : ''}: ${t.response.body}`);
}

export const modelHandlers = {
  async 'models create'(_args: string[], options: CommandOptions<'models create'>) {
    if (!options.name) throw new ModelsCommandError('--name is required.');
    if (!options.endpoint) throw new ModelsCommandError('--endpoint <url> is required.');
    const client = clientFor(options.url);
    const params = {
      ...detailsOf(options, false),
      name: options.name,
      endpoint: endpointOf(options) as EndpointParams,
    } as ModelParams;
    const model = await client.models.create(params);
    const test = options.test ? await model.testEndpoint() : undefined;
    if (options.json) return out(JSON.stringify(test ? { model: model.data, test } : model.data, null, 2));
    out(`Created model ${model.name} (${model.id}).`);
    printModel(model.data);
    if (test) printTest(test);
  },

  async 'models list'(_args: string[], options: CommandOptions<'models list'>) {
    const client = clientFor(options.url);
    const models = await client.models.list({
      ...(options.name ? { name: options.name } : {}),
      owner: options.owner as 'mine',
      sort: options.sort as 'name',
      amount: 500,
    });
    if (options.json)
      return out(
        JSON.stringify(
          models.map((m) => m.data),
          null,
          2,
        ),
      );
    if (models.length === 0) return out('No models yet: `jury models create --help` shows how to add one.');
    const rows = models.map((m) => [
      m.id,
      m.name,
      m.data.owned ? 'yours' : m.data.organizationName,
      m.data.visibility,
      m.data.endpoint?.url ?? '',
    ]);
    const header = ['ID', 'NAME', 'OWNER', 'VISIBILITY', 'ENDPOINT'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    for (const r of [header, ...rows])
      out(
        r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
  },

  async 'models get'([idOrName]: string[], options: CommandOptions<'models get'>) {
    const model = await resolveModel(clientFor(options.url), idOrName ?? '');
    if (options.json) return out(JSON.stringify(model.data, null, 2));
    printModel(model.data);
  },

  async 'models edit'([idOrName]: string[], options: CommandOptions<'models edit'>) {
    const model = await resolveModel(clientFor(options.url), idOrName ?? '');
    const endpoint = endpointOf(options);
    const changes = {
      ...detailsOf(options, true),
      ...(Object.keys(endpoint).length ? { endpoint } : {}),
    } as ModelChanges;
    if (Object.keys(changes).length === 0)
      throw new ModelsCommandError(
        'Nothing to change: give at least one option (see jury models edit --help).',
      );
    await model.edit(changes);
    if (options.json) return out(JSON.stringify(model.data, null, 2));
    out(`Updated model ${model.name} (${model.id}).`);
    printModel(model.data);
  },

  async 'models delete'([idOrName]: string[], options: CommandOptions<'models delete'>) {
    const model = await resolveModel(clientFor(options.url), idOrName ?? '');
    await model.delete();
    out(`Deleted model ${model.name} (${model.id}).`);
  },

  async 'models test'([idOrName]: string[], options: CommandOptions<'models test'>) {
    const model = await resolveModel(clientFor(options.url), idOrName ?? '');
    const test = await model.testEndpoint(options.prompt);
    if (options.json) out(JSON.stringify(test, null, 2));
    else printTest(test);
    if (!test.ok) process.exitCode = 1;
  },
};
