import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { infrastructure } from '../src/app.module';
import { BookingModule } from '../src/booking/booking.module';
import { UsersApi } from '../src/booking/api';
import { ConfigValidationError, loadConfig } from '../src/config/app-config';
import { GatewayModule } from '../src/gateway/gateway.module';
import { SessionsApi } from '../src/gateway/api';
import { ensureLocalRedis } from '../src/infra/redis/local-redis';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `npm run init-admin -- --tg-id <id> --name <name>`: creates (or re-promotes) the admin and prints an API token. */
async function main(): Promise<void> {
  const tgId = Number(arg('tg-id'));
  const name = arg('name')?.trim();
  if (!Number.isSafeInteger(tgId) || tgId <= 0 || !name) {
    console.error('usage: npm run init-admin -- --tg-id <telegram user id> --name <name>');
    process.exit(2);
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.env.TZ = 'UTC';
  process.env.LOG_LEVEL ??= 'warn';
  const config = loadConfig();
  if (config.redisUrl === undefined) await ensureLocalRedis();

  @Module({ imports: [...infrastructure(config), BookingModule, GatewayModule] })
  class InitAdminModule {}

  const app = await NestFactory.createApplicationContext(InitAdminModule, { logger: ['error', 'warn'] });
  try {
    const admin = await app.get(UsersApi).ensureAdmin(tgId, name);
    const { token, expiresInSeconds } = await app.get(SessionsApi).issue(admin.userId, 'api');
    console.log(`admin user id: ${admin.userId} (tg_id ${tgId})`);
    console.log(`API token (valid ${Math.round(expiresInSeconds / 86400)} days):`);
    console.log(token);
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigValidationError ? err.message : err);
  process.exit(1);
});
