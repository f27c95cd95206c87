import { Injectable, Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { DomainError, ErrorCode } from '../../common/errors';

const TIMEOUT_MS = 120_000;

/** How to run scripts/seed-demo: compiled beside dist/src, or from source through the SWC hook (npm start, tests). */
function seedCommand(): string[] {
  const compiled = join(__dirname, '../../../scripts/seed-demo.js');
  if (extname(__filename) === '.js' && existsSync(compiled)) return [compiled];
  const root = extname(__filename) === '.js' ? join(__dirname, '../../../..') : join(__dirname, '../../..');
  return ['-r', join(root, 'scripts/swc-register.js'), join(root, 'scripts/seed-demo.ts')];
}

/**
 * The "create the demo salon" button runs `npm run seed:demo` against this app's database and Redis,
 * in a child process: the seed books the past week under a clock of its own (done and no-show
 * bookings must have started), which this process's clock must never be.
 */
@Injectable()
export class DemoSalonRunner {
  private readonly logger = new Logger(DemoSalonRunner.name);
  private running: Promise<Record<string, unknown>> | undefined;

  constructor(private readonly config: AppConfig) {}

  /** The seed's summary; a second press while it runs waits for the same run. */
  run(): Promise<Record<string, unknown>> {
    this.running ??= this.spawnSeed().finally(() => (this.running = undefined));
    return this.running;
  }

  private spawnSeed(): Promise<Record<string, unknown>> {
    const { database } = this.config;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: this.config.env,
      REDIS_URL: this.config.effectiveRedisUrl,
      REDIS_PREFIX: this.config.redisPrefix,
      LOG_LEVEL: 'warn',
      ...(database.type === 'postgres' ? { DATABASE_URL: database.url } : { SQLITE_PATH: database.path }),
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...seedCommand(), '--json'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(this.failure(e.message));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const summary = out.trim().split('\n').pop() ?? '';
        if (code === 0 && summary.startsWith('{'))
          return resolve(JSON.parse(summary) as Record<string, unknown>);
        reject(this.failure(`exit ${code}: ${(err || out).trim().slice(-2000)}`));
      });
    });
  }

  private failure(reason: string): DomainError {
    this.logger.error(`seed:demo failed: ${reason}`);
    return new DomainError(ErrorCode.ServiceUnavailable, 'The demo salon could not be created; see the log');
  }
}
