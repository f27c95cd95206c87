import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { ensureLocalRedis, RedisBinaryMissingError } from './infra/redis/local-redis';
import { createApp } from './bootstrap';
import { FrontDoor } from './infra/http/front-door';

/** How long a shutdown waits for the requests under way: inside Docker's 10 s before its SIGKILL. */
const DRAIN_GRACE_MS = 8000;
const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Instants are stored and compared in UTC; local time exists only in the slot engine, per location.
  process.env.TZ = 'UTC';
  const config = loadConfig();
  if (config.redisUrl === undefined) await ensureLocalRedis();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  console.log(listeningLine(config));
  closeOnSignal(app);
}

/**
 * A signal first drains the HTTP server (no new connections; the requests under way finish with
 * their answers), then closes the modules, then re-raises the signal so the exit says what ended it.
 * Nest's own shutdown hooks closed Redis and the database while the server still took requests,
 * so requests under way got 503s or resets. A second signal ends the process at once.
 */
function closeOnSignal(app: Awaited<ReturnType<typeof createApp>>): void {
  const onSignal = (signal: NodeJS.Signals) => {
    for (const s of SHUTDOWN_SIGNALS) process.removeListener(s, onSignal);
    void (async () => {
      await FrontDoor.of(app.getHttpAdapter())?.drain(DRAIN_GRACE_MS);
      await app.close();
      process.kill(process.pid, signal);
    })().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  };
  for (const s of SHUTDOWN_SIGNALS) process.on(s, onSignal);
}

/** The one line a newcomer needs: how the bot runs and where to look. */
function listeningLine(config: AppConfig): string {
  const { token, publicUrl } = config.telegram;
  const mode =
    token === undefined
      ? 'sandbox (no BOT_TOKEN)'
      : publicUrl
        ? `webhook at ${publicUrl.replace(/\/+$/, '')}/tg/webhook`
        : 'long polling';
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${config.port}`;
  const sandbox = token === undefined ? `, chat with the bot at ${url}/sandbox` : '';
  return `Listening on ${url}, bot: ${mode}. API docs ${url}/docs${sandbox}`;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigValidationError || err instanceof RedisBinaryMissingError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
