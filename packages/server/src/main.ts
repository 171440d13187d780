// The bare server process for process managers: configuration from the environment only (PORT, HOST, JURY_DATA_DIR,
// DATABASE_URL, JURY_WEB_DIR, JURY_SECRETS_KEY, JURY_MODEL_HOSTS, and every knob of config/config.ts as its JURY_* variable, e.g. JURY_GOLD_RATE).
// `jury serve` (packages/cli) is the friendly front door: flags, printed addresses, the credentials file on first start.
import { ConfigError, configFromEnvironment } from './config/config.ts';
import { DatabaseOpenError } from './db/database.ts';
import { modelOptionsFromEnvironment } from './models/options.ts';
import { ListenError, startServer } from './server.ts';

const server = await Promise.resolve()
  .then(() =>
    startServer({
      port: Number(process.env.PORT ?? 8787),
      host: process.env.HOST ?? '127.0.0.1',
      dataDir: process.env.JURY_DATA_DIR ?? '.jury',
      databaseUrl: process.env.DATABASE_URL || undefined,
      webDir: process.env.JURY_WEB_DIR,
      config: configFromEnvironment(process.env),
      models: modelOptionsFromEnvironment(process.env),
    }),
  )
  .catch((err: unknown) => {
    // What the operator can fix is one line (a JURY_* setting, PORT, HOST or DATABASE_URL); anything else keeps its stack.
    if (!(err instanceof ListenError || err instanceof DatabaseOpenError || err instanceof ConfigError))
      throw err;
    console.error(`[jury] ${err.message}`);
    process.exit(1);
  });
console.log(`Jury listening on ${server.url} (${server.database.description})`);
if (server.bootstrap) {
  console.log(
    `First start: client ${server.bootstrap.client.id}, secret ${server.bootstrap.secret} (shown once).`,
  );
}
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
