import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { infrastructure } from '../src/app.module';
import { BookingModule } from '../src/booking/booking.module';
import { UsersApi } from '../src/booking/api';
import { AppConfig, ConfigValidationError, loadConfig } from '../src/config/app-config';
import { GatewayModule } from '../src/gateway/gateway.module';
import { NotificationsModule } from '../src/notifications/notifications.module';
import { SessionsApi } from '../src/gateway/api';
import { ensureLocalRedis } from '../src/infra/redis/local-redis';

export interface InitAdminResult {
  userId: number;
  token: string;
  expiresInSeconds: number;
}

export class InitAdminUsageError extends Error {}

/** Creates the admin for tgId (or promotes the existing user) and issues a fresh API token; never a second user per tg_id. */
export async function initAdmin(config: AppConfig, tgId: number, name: string): Promise<InitAdminResult> {
  const trimmed = name.trim();
  if (!Number.isSafeInteger(tgId) || tgId <= 0)
    throw new InitAdminUsageError('--tg-id must be a positive integer (a Telegram user id)');
  if (trimmed.length < 1 || trimmed.length > 120)
    throw new InitAdminUsageError('--name must be 1-120 characters');

  // The gateway's bot flows read the notifications module's contracts (a global module): it comes along.
  @Module({ imports: [...infrastructure(config), BookingModule, NotificationsModule, GatewayModule] })
  class InitAdminModule {}

  const app = await NestFactory.createApplicationContext(InitAdminModule, { logger: ['error'] });
  try {
    const admin = await app.get(UsersApi).ensureAdmin(tgId, trimmed);
    const { token, expiresInSeconds } = await app.get(SessionsApi).issue(admin.userId, 'api');
    return { userId: admin.userId, token, expiresInSeconds };
  } finally {
    await app.close();
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `npm run init-admin -- --tg-id <id> --name <name>`: prints the admin's id and an API token. */
async function main(): Promise<void> {
  const tgId = Number(arg('tg-id'));
  const name = arg('name') ?? '';
  if (!Number.isSafeInteger(tgId) || tgId <= 0 || !name.trim()) {
    console.error('usage: npm run init-admin -- --tg-id <telegram user id> --name <name>');
    process.exit(2);
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.env.TZ = 'UTC';
  // Only what the README shows is printed: the app's own log lines stay quiet unless something fails.
  process.env.LOG_LEVEL ??= 'error';
  const config = loadConfig();
  if (config.redisUrl === undefined) await ensureLocalRedis();
  const { userId, token, expiresInSeconds } = await initAdmin(config, tgId, name);
  console.log(
    `Admin ${name.trim()}: user ${userId}, Telegram id ${tgId}. API token, valid ${Math.round(expiresInSeconds / 86400)} days:`,
  );
  console.log(token);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const known = err instanceof ConfigValidationError || err instanceof InitAdminUsageError;
    console.error(known ? (err as Error).message : err);
    process.exit(1);
  });
}
