import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  credentialsPath,
  normalizeEndpoint,
  readCredentials,
  removeCredential,
  saveCredential,
  updateCredentialEndpoint,
} from '@jury/sdk';
import {
  AppError,
  auth,
  ConfigError,
  configFromOptions,
  type DatabaseHandle,
  DatabaseOpenError,
  ListenError,
  modelOptionsFromEnvironment,
  openDatabase,
  startServer,
  systemClock,
  users,
  VERSION,
} from '@jury/server';
import { EvalCommandError, evalHandlers } from './eval/command.ts';
import { ModelsCommandError, modelHandlers } from './models/command.ts';
import type { Handlers } from './program.ts';
import { runSimulateCommand, SimulateError } from './simulate/command.ts';

/** An error the user can fix; printed without a stack trace. */
export class CliError extends Error {}

const out = (line = '') => process.stdout.write(`${line}\n`);
const home = (path: string) => {
  const h = process.env.HOME;
  return h && path.startsWith(`${h}/`) ? `~${path.slice(h.length)}` : path;
};

interface StorageOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

function sqliteFile(options: StorageOptions) {
  return join(resolve(options.dataDir), 'jury.sqlite');
}

/** Opens the database the server uses; refuses to invent an empty one unless asked to. */
async function openStorage(options: StorageOptions, mayCreate: boolean): Promise<DatabaseHandle> {
  if (!options.databaseUrl && !mayCreate && !existsSync(sqliteFile(options)))
    throw new CliError(
      `No Jury database at ${sqliteFile(options)}. Start the server once with \`jury serve --data-dir ${options.dataDir}\`, or pass the --data-dir (or --database-url) the server uses.`,
    );
  return openDatabase({
    databaseUrl: options.databaseUrl || undefined,
    sqliteFile: sqliteFile(options),
  }).catch((err: unknown) => {
    throw userFacing(err);
  });
}

/** Start-up failures the user can fix, as one line with what to do; anything else stays unexpected. */
function userFacing(err: unknown): unknown {
  if (err instanceof ConfigError) return new CliError(err.message);
  if (err instanceof DatabaseOpenError)
    return new CliError(`${err.message}. Check --database-url (or DATABASE_URL).`);
  if (err instanceof ListenError && err.code === 'EADDRINUSE') {
    const other = err.port === 9000 ? 9001 : 9000;
    return new CliError(
      `Port ${err.port} on ${err.host} is already taken (another program, or another jury serve). Pick another with --port ${other} or PORT=${other}, or --port 0 for any free port.`,
    );
  }
  if (err instanceof ListenError)
    return new CliError(
      `${err.message} Pick another port with --port <number> (or PORT), or another --host.`,
    );
  return err;
}

async function withStorage<T>(
  options: StorageOptions,
  mayCreate: boolean,
  fn: (db: DatabaseHandle['db']) => Promise<T>,
) {
  const handle = await openStorage(options, mayCreate);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

async function findOrganization(db: DatabaseHandle['db'], nameOrId: string) {
  const org =
    (await auth.findOrganization(db, nameOrId)) ?? (await auth.findOrganizationByName(db, nameOrId));
  if (!org) {
    const names = (await auth.listOrganizations(db)).map((o) => `${o.name} (${o.id})`);
    throw new CliError(
      `No organization "${nameOrId}". Known: ${names.join(', ') || 'none'}. Use --new-organization to create one.`,
    );
  }
  return org;
}

/** The organization a command names, else the local one (the oldest, created by the first `jury serve`). */
async function organizationOrLocal(db: DatabaseHandle['db'], nameOrId: string | undefined) {
  if (nameOrId) return findOrganization(db, nameOrId);
  const [local] = await auth.listOrganizations(db);
  if (!local) throw new CliError('No organization yet: start the server once with `jury serve`.');
  return local;
}

/** The whole of standard input without its final line break (a password piped in). */
async function readStdinPassword(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError('--password-stdin reads a piped password, e.g. printf %s "$PASSWORD" | jury users …');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

/** The operator commands run the server's own rules; a rule broken is a one-line error. */
function operatorError(err: unknown): unknown {
  if (err instanceof AppError) return new CliError(err.message);
  return err;
}

function userRole(role: string): 'owner' | 'member' {
  if (role === 'owner' || role === 'member') return role;
  throw new CliError(`--role ${role}: expected owner or member.`);
}

function required(value: string | undefined, flag: string): string {
  const v = value?.trim();
  if (!v) throw new CliError(`${flag} is required.`);
  return v;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A models handler whose fixable errors print like every other CliError. */
const cliErrors =
  <A extends unknown[]>(fn: (...a: A) => Promise<void>) =>
  (...a: A) =>
    fn(...a).catch((err: unknown) => {
      throw err instanceof ModelsCommandError || err instanceof EvalCommandError
        ? new CliError(err.message)
        : err;
    });

export const handlers: Handlers = {
  'models create': cliErrors(modelHandlers['models create']),
  'models list': cliErrors(modelHandlers['models list']),
  'models get': cliErrors(modelHandlers['models get']),
  'models edit': cliErrors(modelHandlers['models edit']),
  'models delete': cliErrors(modelHandlers['models delete']),
  'models test': cliErrors(modelHandlers['models test']),
  'eval run': cliErrors(evalHandlers['eval run']),
  'eval score': cliErrors(evalHandlers['eval score']),
  'eval runs': cliErrors(evalHandlers['eval runs']),
  simulate: (_args, options) =>
    runSimulateCommand(options).catch((err: unknown) => {
      throw err instanceof SimulateError ? new CliError(err.message) : err;
    }),
  async serve(_args, options) {
    const running = await Promise.resolve()
      .then(() =>
        startServer({
          port: options.port,
          host: options.host,
          dataDir: options.dataDir,
          databaseUrl: options.databaseUrl || undefined,
          // The configuration knobs' rows are not in the typed options (their flags are computed); read them by name.
          config: configFromOptions(options as Record<string, unknown>),
          // The built web app (dashboard and labeler pages); `npm install` builds it. Located, never imported.
          webDir: fileURLToPath(new URL('../../web/dist/', import.meta.url)),
          models: modelOptionsFromEnvironment(process.env),
        }),
      )
      .catch((err: unknown) => {
        throw userFacing(err);
      });
    // Signal handlers first, so a signal right after the addresses are printed is still graceful.
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) {
        out('Forced exit.');
        process.exit(1);
      }
      stopping = true;
      out(`\n${signal}: shutting down…`);
      const force = setTimeout(() => {
        out('Connections did not close within 10 s; exiting.');
        process.exit(1);
      }, 10_000);
      force.unref();
      await running.close();
      out('Stopped.');
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    const url = running.url;
    const where =
      running.database.dialect === 'sqlite'
        ? `the embedded database (${running.database.description.replace(/^sqlite:/, '')})`
        : `PostgreSQL (${running.database.description})`;
    out(`Jury ${VERSION} is running on ${where}`);
    out(`  Media      ${running.media}`);
    out(`  Dashboard  ${url}/`);
    out(`  Labeler    ${url}/label`);
    out(`  API        ${url}/api/v1   (reference: ${url}/api/reference)`);
    if (running.setupUrl) {
      out(
        'No dashboard user yet. Set up the owner (the link works once, for 7 days; a restart prints a new one):',
      );
      out(`  Set up the owner: ${running.setupUrl}`);
    }

    const file = credentialsPath();
    if (running.bootstrap) {
      const { client, secret, organization } = running.bootstrap;
      await saveCredential({
        displayName: client.displayName,
        clientId: client.id,
        clientSecret: secret,
        endpoint: url,
        createdAt: client.createdAt,
        lastUsed: null,
      });
      out(`First start: created "${organization.name}" and client ${client.id}, saved to ${home(file)}.`);
      out('  new JuryClient() now works without arguments.');
    } else {
      // Keep saved clients of this database pointing at this server, e.g. after a port change.
      const { clients } = await readCredentials();
      let mine = 0;
      for (const entry of clients) {
        const row = await auth.findApiClient(running.database.db, entry.clientId);
        if (!row || row.revoked_at) continue;
        mine++;
        if (await updateCredentialEndpoint(entry.clientId, url))
          out(`Saved client ${entry.clientId} in ${home(file)} now points at ${url}.`);
      }
      if (mine === 0)
        out(
          `No client of this server is saved in ${home(file)}; run \`jury credentials create --save --url ${url}\` to use new JuryClient() without arguments.`,
        );
    }
    out('Press Ctrl+C to stop.');
  },

  async 'credentials create'(_args, options) {
    if (options.organization && options.newOrganization)
      throw new CliError('Pass either --organization or --new-organization, not both.');
    const result = await withStorage(options, Boolean(options.newOrganization), async (db) => {
      const deps = { db, clock: systemClock };
      let org: { id: string; name: string };
      if (options.newOrganization) {
        const name = options.newOrganization.trim();
        if (!name) throw new CliError('--new-organization needs a name.');
        org = await auth.createOrganization(deps, name);
      } else if (options.organization) {
        org = await findOrganization(db, options.organization);
      } else {
        const orgs = await auth.listOrganizations(db);
        const first = orgs[0];
        if (!first)
          throw new CliError(
            'No organization yet: start the server once with `jury serve`, or pass --new-organization <name>.',
          );
        org = first; // the oldest: the local organization created by the first `jury serve`
      }
      const displayName =
        options.name === 'CLI client' ? `CLI client (${hostname()})` : options.name.trim() || 'CLI client';
      const { client, secret } = await auth.createApiClient(deps, { organizationId: org.id, displayName });
      return { org, client, secret };
    });
    const { org, client, secret } = result;
    const endpoint = normalizeEndpoint(options.url);
    if (options.save)
      await saveCredential({
        displayName: client.displayName,
        clientId: client.id,
        clientSecret: secret,
        endpoint,
        createdAt: client.createdAt,
        lastUsed: null,
      });
    if (options.json) {
      out(
        JSON.stringify(
          {
            clientId: client.id,
            clientSecret: secret,
            displayName: client.displayName,
            organizationId: org.id,
            organizationName: org.name,
            ...(options.save ? { savedTo: credentialsPath(), endpoint } : {}),
          },
          null,
          2,
        ),
      );
      return;
    }
    out(`Created client ${client.id} ("${client.displayName}") in organization "${org.name}" (${org.id}).`);
    out('');
    out(`  JURY_CLIENT_ID=${client.id}`);
    out(`  JURY_CLIENT_SECRET=${secret}`);
    out('');
    out('The secret is shown only this once; only its hash is stored. Keep it somewhere safe.');
    if (options.save) out(`Saved to ${home(credentialsPath())} for ${endpoint}.`);
  },

  async 'credentials list'(_args, options) {
    const rows = await withStorage(options, false, async (db) => {
      const orgs = options.organization
        ? [await findOrganization(db, options.organization)]
        : await auth.listOrganizations(db);
      const all = [];
      for (const org of orgs)
        for (const c of await auth.listApiClients({ db }, org.id))
          all.push({ ...c, organizationName: org.name });
      return all;
    });
    const saved = new Set((await readCredentials()).clients.map((c) => c.clientId));
    if (options.json) {
      out(
        JSON.stringify(
          rows.map((r) => ({ ...r, saved: saved.has(r.id) })),
          null,
          2,
        ),
      );
      return;
    }
    if (rows.length === 0) {
      out('No API clients.');
      return;
    }
    out(
      table([
        ['CLIENT ID', 'NAME', 'ORGANIZATION', 'CREATED', 'LAST USED', 'STATUS', 'SAVED'],
        ...rows.map((r) => [
          r.id,
          r.displayName,
          r.organizationName,
          r.createdAt.slice(0, 19).replace('T', ' '),
          r.lastUsedAt ? r.lastUsedAt.slice(0, 19).replace('T', ' ') : '-',
          r.revokedAt ? 'revoked' : 'active',
          saved.has(r.id) ? 'yes' : '',
        ]),
      ]),
    );
  },

  async 'credentials revoke'(args, options) {
    const clientId = args[0] ?? '';
    const revoked = await withStorage(options, false, async (db) => {
      const row = await auth.findApiClient(db, clientId);
      if (!row) throw new CliError(`No client ${clientId}; see \`jury credentials list\`.`);
      return auth.revokeApiClient({ db, clock: systemClock }, undefined, clientId);
    });
    out(`Revoked client ${revoked.id} ("${revoked.displayName}"); its tokens stop working at once.`);
    if (await removeCredential(clientId)) out(`Removed it from ${home(credentialsPath())}.`);
  },

  async 'users create'(_args, options) {
    const email = required(options.email, '--email');
    const name = required(options.name, '--name');
    const role = userRole(options.role);
    const password = options.passwordStdin ? await readStdinPassword() : undefined;
    const origin = normalizeEndpoint(options.url);
    const { user, organization, link } = await withStorage(options, false, async (db) => {
      const deps = { db, clock: systemClock };
      const organization = await organizationOrLocal(db, options.organization);
      const user = await users
        // without a password, a random one nobody knows: the user sets theirs through the link
        .createUser(deps, {
          organizationId: organization.id,
          email,
          name,
          role,
          password: password ?? randomBytes(32).toString('base64url'),
        })
        .catch((err: unknown) => {
          throw operatorError(err);
        });
      const row = await users.findUserByEmail(deps, user.email);
      const link =
        password === undefined && row ? await users.createPasswordReset(deps, row, origin) : undefined;
      return { user, organization, link };
    });
    out(`Created ${user.role} ${user.email} (${user.id}) in organization "${organization.name}".`);
    if (link) {
      out('Send them this one-time link (24 h) to set their password and sign in:');
      out(`  ${link}`);
    }
  },

  async 'users list'(_args, options) {
    const rows = await withStorage(options, false, async (db) => {
      const names = new Map((await auth.listOrganizations(db)).map((o) => [o.id, o.name]));
      const only = options.organization ? (await findOrganization(db, options.organization)).id : undefined;
      return (await users.listUsers({ db }))
        .filter((u) => !only || u.organizationId === only)
        .map((u) => ({ ...u, organizationName: names.get(u.organizationId) ?? u.organizationId }));
    });
    if (options.json) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      out('No dashboard users yet: follow the setup link `jury serve` prints, or run `jury users create`.');
      return;
    }
    out(
      table([
        ['USER ID', 'EMAIL', 'NAME', 'ROLE', 'ORGANIZATION', 'CREATED'],
        ...rows.map((u) => [
          u.id,
          u.email,
          u.name,
          u.role,
          u.organizationName,
          u.createdAt.slice(0, 19).replace('T', ' '),
        ]),
      ]),
    );
  },

  async 'users reset-password'(args, options) {
    const email = args[0] ?? '';
    const password = options.passwordStdin ? await readStdinPassword() : undefined;
    const origin = normalizeEndpoint(options.url);
    const link = await withStorage(options, false, async (db) => {
      const deps = { db, clock: systemClock };
      const user = await users.findUserByEmail(deps, email);
      if (!user) throw new CliError(`No dashboard user ${email}; see \`jury users list\`.`);
      if (password === undefined) return users.createPasswordReset(deps, user, origin);
      await users.setPassword(deps, user.id, password).catch((err: unknown) => {
        throw operatorError(err);
      });
      return undefined;
    });
    if (link) {
      out(`Send ${email} this one-time link (24 h) to set a new password; it signs them in:`);
      out(`  ${link}`);
    } else out(`Set the password of ${email}; their sessions ended.`);
  },
};
