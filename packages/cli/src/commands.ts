/**
 * The one table the `jury` command and its `--help` are built from: commands, arguments, options,
 * defaults, environment fallbacks and descriptions. Handlers live in handlers.ts, keyed by path.
 */

import { CONFIG_KNOBS } from '@jury/server';
import { evalCommand } from './eval/command.ts';
import { modelsCommand } from './models/command.ts';
import { simulateCommand } from './simulate/command.ts';

/** `number` values are read by the handler (the server's configuration checks them); `int` by the parser. */
export type OptionType = 'string' | 'int' | 'number' | 'boolean';

export interface OptionSpec {
  /** Commander flags, e.g. `--port <number>` or `--save`. */
  flags: string;
  description: string;
  type: OptionType;
  default?: string | number | boolean;
  /** Environment variable used when the flag is absent. */
  env?: string;
  /** Smallest accepted value for `int` options. */
  min?: number;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  commands?: readonly CommandSpec[];
  /** Extra help text shown after the options (examples). */
  examples?: readonly string[];
}

const storageOptions = [
  {
    flags: '--data-dir <path>',
    description: 'data directory: the embedded database file and uploaded media (unless --s3-bucket)',
    type: 'string',
    default: './.jury',
    env: 'JURY_DATA_DIR',
  },
  {
    flags: '--database-url <url>',
    description: 'use PostgreSQL (postgres://user:pass@host/db) instead of the embedded database',
    type: 'string',
    env: 'DATABASE_URL',
  },
] as const satisfies readonly OptionSpec[];

const passwordStdinOption = {
  flags: '--password-stdin',
  description: 'read the password from standard input (instead of printing a link to set it)',
  type: 'boolean',
  default: false,
} as const satisfies OptionSpec;

const linkUrlOption = {
  flags: '--url <url>',
  description: "the server's URL, for the printed link",
  type: 'string',
  default: 'http://localhost:8787',
  env: 'JURY_URL',
} as const satisfies OptionSpec;

/** Every knob of the server's configuration (config/config.ts), one row each: flag, JURY_* variable, default. */
const configOptions: readonly OptionSpec[] = CONFIG_KNOBS.map((knob) => ({
  // An on/off knob takes an optional value, so `--flag`, `--flag false` and its variable set to false all work.
  flags: `${knob.flag} ${knob.type === 'boolean' ? '[true|false]' : `<${knob.placeholder}>`}`,
  description: knob.description,
  type: knob.type,
  // An empty text default is "not set": nothing to show in --help.
  ...(knob.default === '' ? {} : { default: knob.default }),
  env: knob.env,
}));

export const PROGRAM = {
  name: 'jury',
  description: 'Jury: rank AI models by human judgment, self-hosted.',
  commands: [
    {
      name: 'serve',
      description: 'Start the Jury server (dashboard, labeler app and API)',
      options: [
        {
          flags: '--port <number>',
          description: 'TCP port (0 picks a free one)',
          type: 'int',
          default: 8787,
          env: 'PORT',
          min: 0,
        },
        {
          flags: '--host <address>',
          description: 'interface to listen on (0.0.0.0 for every interface)',
          type: 'string',
          default: '127.0.0.1',
          env: 'JURY_HOST',
        },
        ...storageOptions,
        ...configOptions,
      ],
      examples: [
        'jury serve',
        'jury serve --port 9000 --data-dir /var/lib/jury',
        'DATABASE_URL=postgres://… jury serve',
        'JURY_SECRETS_KEY=$(openssl rand -base64 32) JURY_MODEL_HOSTS=127.0.0.1,api.openai.com jury serve',
      ],
    },
    {
      name: 'credentials',
      description: 'Manage API clients (client id + secret) directly in the database',
      commands: [
        {
          name: 'create',
          description: 'Create an API client and print its secret (once)',
          options: [
            {
              flags: '--name <displayName>',
              description: 'display name of the client',
              type: 'string',
              default: 'CLI client',
            },
            {
              flags: '--organization <nameOrId>',
              description: 'existing organization (default: the local organization)',
              type: 'string',
            },
            {
              flags: '--new-organization <name>',
              description: 'create a new organization for the client',
              type: 'string',
            },
            {
              flags: '--save',
              description: 'also save it to ~/.config/jury/credentials.json for new JuryClient()',
              type: 'boolean',
              default: false,
            },
            {
              flags: '--url <url>',
              description: 'server URL saved with --save',
              type: 'string',
              default: 'http://localhost:8787',
              env: 'JURY_URL',
            },
            { flags: '--json', description: 'print JSON', type: 'boolean', default: false },
            ...storageOptions,
          ],
          examples: [
            'jury credentials create --name "CI" --save',
            'jury credentials create --new-organization "Team B" --json',
          ],
        },
        {
          name: 'list',
          description: 'List API clients of every organization (or one)',
          options: [
            {
              flags: '--organization <nameOrId>',
              description: 'only this organization',
              type: 'string',
            },
            { flags: '--json', description: 'print JSON', type: 'boolean', default: false },
            ...storageOptions,
          ],
        },
        {
          name: 'revoke',
          description: 'Revoke an API client; its tokens stop working at once',
          arguments: [
            { name: 'clientId', description: 'id of the client, e.g. cli_4kq9x2m7p1', required: true },
          ],
          options: [...storageOptions],
        },
      ],
    },
    {
      name: 'users',
      description: 'Manage dashboard users (email + password) directly in the database',
      commands: [
        {
          name: 'create',
          description:
            'Create a dashboard user; prints a one-time link to set their password unless --password-stdin',
          options: [
            { flags: '--email <email>', description: 'their email (they sign in with it)', type: 'string' },
            { flags: '--name <name>', description: 'their name', type: 'string' },
            {
              flags: '--role <role>',
              description: 'owner (invites and removes members) or member',
              type: 'string',
              default: 'member',
            },
            {
              flags: '--organization <nameOrId>',
              description: 'existing organization (default: the local organization)',
              type: 'string',
            },
            passwordStdinOption,
            linkUrlOption,
            ...storageOptions,
          ],
          examples: [
            'jury users create --email ada@example.com --name "Ada Lovelace" --role owner',
            'printf %s "$PASSWORD" | jury users create --email ci@example.com --name CI --password-stdin',
          ],
        },
        {
          name: 'list',
          description: 'List dashboard users of every organization (or one)',
          options: [
            {
              flags: '--organization <nameOrId>',
              description: 'only this organization',
              type: 'string',
            },
            { flags: '--json', description: 'print JSON', type: 'boolean', default: false },
            ...storageOptions,
          ],
        },
        {
          name: 'reset-password',
          description:
            'Print a one-time link (24 h) with which the user sets a new password, or set it from stdin; their sessions end',
          arguments: [{ name: 'email', description: "the user's email", required: true }],
          options: [passwordStdinOption, linkUrlOption, ...storageOptions],
          examples: ['jury users reset-password ada@example.com'],
        },
      ],
    },
    simulateCommand,
    modelsCommand,
    evalCommand,
  ],
} as const satisfies CommandSpec;

type Leaves<C, Prefix extends string = ''> = C extends { name: infer N extends string; commands: infer S }
  ? S extends readonly unknown[]
    ? Leaves<S[number], `${Prefix}${N} `>
    : never
  : C extends { name: infer N extends string }
    ? `${Prefix}${N}`
    : never;

/** Every runnable command path, e.g. `'serve' | 'credentials create' | …`, derived from the table. */
export type CommandPath = Leaves<(typeof PROGRAM.commands)[number]>;

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type FlagName<F extends string> = F extends `--${infer N} <${string}>`
  ? CamelCase<N>
  : F extends `--${infer N}`
    ? CamelCase<N>
    : never;
type ValueOf<O extends OptionSpec> = O['type'] extends 'int' | 'number'
  ? number
  : O['type'] extends 'boolean'
    ? boolean
    : string;
type OptionsOf<Os extends readonly OptionSpec[]> = {
  [O in Os[number] as FlagName<O['flags']>]: O extends { default: unknown }
    ? ValueOf<O>
    : ValueOf<O> | undefined;
};

type FindCommand<C, Path extends string> = C extends { name: infer N extends string }
  ? Path extends `${N} ${infer Rest}`
    ? C extends { commands: infer S extends readonly unknown[] }
      ? FindCommand<S[number], Rest>
      : never
    : Path extends N
      ? C
      : never
  : never;

/** The parsed options of a command, typed from its rows in the table. */
export type CommandOptions<P extends CommandPath> =
  FindCommand<(typeof PROGRAM.commands)[number], P> extends {
    options: infer Os extends readonly OptionSpec[];
  }
    ? OptionsOf<Os>
    : Record<string, never>;
