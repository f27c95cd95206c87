import { DynamicModule, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { APP_OPTIONS, configureApp, createAdapter, createApp } from '../../src/bootstrap';
import { AppModule } from '../../src/app.module';
import { FrontDoor } from '../../src/infra/http/front-door';
import { UsersApi } from '../../src/booking/api';
import { SessionsApi } from '../../src/gateway/api';
import type { Role } from '../../src/common/actor';
import { databaseEnv, dropDatabase } from './test-database';
import { forgetPrefix } from './redis-prefix';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** Replaces one provider of the app (e.g. BotMessenger by a recorder) wherever it is injected. */
export interface ProviderOverride {
  provide: abstract new (...args: any[]) => unknown;
  useValue: unknown;
}

export interface TestAppOptions {
  overrides?: ProviderOverride[];
}

/** Makes an override injectable even where no module provides the token yet (an @Optional() dependency). */
@Module({})
class TestOverridesModule {
  static of(overrides: ProviderOverride[]): DynamicModule {
    return {
      module: TestOverridesModule,
      global: true,
      providers: overrides,
      exports: overrides.map((o) => o.provide),
    };
  }
}

async function createAppWith(
  config: AppConfig,
  overrides: ProviderOverride[],
): Promise<NestFastifyApplication> {
  const builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config), TestOverridesModule.of(overrides)],
  });
  for (const o of overrides) builder.overrideProvider(o.provide).useValue(o.useValue);
  const moduleRef = await builder.compile();
  return configureApp(
    moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), APP_OPTIONS),
  );
}

/**
 * A real app on a temp SQLite file (a temp PostgreSQL database with TEST_DATABASE=pg, see test-database.ts)
 * and the real Redis under a private key prefix.
 */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    private readonly dir: string,
    private readonly ownDatabase: string | undefined,
  ) {}

  static async start(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
    process.env.TZ = 'UTC';
    const dir = mkdtempSync(join(tmpdir(), 'salon-test-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      ...(await databaseEnv(env.SQLITE_PATH ?? join(dir, 'booking.db'))),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      LOG_LEVEL: 'silent',
      ...env,
    });
    const app = options.overrides?.length
      ? await createAppWith(config, options.overrides)
      : await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // A path of the caller's may be shared with a next app (a restart): its database lives until the file ends.
    return new TestApp(app, config, dir, env.SQLITE_PATH ? undefined : join(dir, 'booking.db'));
  }

  get<T>(type: abstract new (...args: any[]) => T): T {
    return this.app.get(type as any);
  }

  async request<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; payload?: string } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    // inject() starts after the HTTP server, where the front door's routes are answered: those go over a socket.
    if (FrontDoor.of(this.app.getHttpAdapter())?.serves(method, url)) {
      const payload =
        options.payload ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
      return this.overSocket(method, url, headers, payload);
    }
    const res = await this.app.inject({
      method,
      url,
      headers,
      ...(options.payload !== undefined
        ? { payload: options.payload }
        : options.body !== undefined
          ? { payload: options.body as object }
          : {}),
    });
    let body: any = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      /* not JSON (e.g. the docs page) */
    }
    return { status: res.statusCode, body, headers: res.headers };
  }

  private listening: Promise<number> | undefined;

  /** The app listening on a real socket (started on first use): for what inject() cannot reach. */
  port(): Promise<number> {
    this.listening ??= this.app
      .listen(0, '127.0.0.1')
      .then(() => (this.app.getHttpServer().address() as AddressInfo).port);
    return this.listening;
  }

  private async overSocket(
    method: string,
    url: string,
    headers: Record<string, string>,
    payload?: string,
  ): Promise<Response> {
    const port = await this.port();
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      });
      // The server may answer (413) and close before the whole body is written.
      req.on('error', (err: NodeJS.ErrnoException) =>
        err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
      );
      req.end(payload);
    });
  }

  /** Creates a user with the role and returns it with a bearer token. */
  async userWithToken(
    role: Role,
    name = `${role} ${randomBytes(3).toString('hex')}`,
  ): Promise<{ id: number; token: string }> {
    const users = this.get(UsersApi);
    const tgId = 100000 + Math.floor(Math.random() * 1e9);
    const subject = await users.create(
      { userId: 0, role: 'system', clientType: 'system' },
      { name, role, tgId },
    );
    const { token } = await this.get(SessionsApi).issue(subject.id, 'api');
    return { id: subject.id, token };
  }

  /** Closes the app and forgets its Redis keys; `keepRedis` leaves them for a next instance (a restart). */
  async stop(options: { keepRedis?: boolean } = {}): Promise<void> {
    const prefix = this.config.redisPrefix;
    await this.app.close();
    if (this.ownDatabase) await dropDatabase(this.ownDatabase);
    if (options.keepRedis) return rmSync(this.dir, { recursive: true, force: true });
    try {
      await forgetPrefix(TEST_REDIS_URL, prefix);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
