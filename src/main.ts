import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConfigValidationError, loadConfig } from './config/app-config';
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
}

main().catch((err: unknown) => {
  if (err instanceof ConfigValidationError || err instanceof RedisBinaryMissingError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
