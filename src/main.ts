import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { ensureLocalRedis, RedisBinaryMissingError } from './infra/redis/local-redis';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Instants are stored and compared in UTC; local time exists only in the slot engine, per location.
  process.env.TZ = 'UTC';
  const config = loadConfig();
  if (config.redisUrl === undefined) await ensureLocalRedis();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  console.log(listeningLine(config));
}

/** The one line a newcomer needs: how the bot runs and where to look. */
function listeningLine(config: AppConfig): string {
  const { token, publicUrl } = config.telegram;
  const mode =
    token === undefined ? 'sandbox (no BOT_TOKEN)' : publicUrl ? `webhook at ${publicUrl}` : 'long polling';
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
