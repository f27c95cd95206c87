import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

const PORT_RANGE = { message: 'PORT must be an integer from 0 to 65535' };
const TTL_RANGE = { message: 'AUTH_TOKEN_TTL_SECONDS must be an integer of at least 60 (seconds)' };

/** The environment as the process receives it; validated once at boot. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt(PORT_RANGE)
  @Min(0, PORT_RANGE)
  @Max(65535, PORT_RANGE)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsString()
  SQLITE_PATH?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  REDIS_PREFIX?: string;

  @IsOptional()
  @Matches(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'BOT_TOKEN must look like 123456:ABC-DEF...' })
  BOT_TOKEN?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https'] }, { message: 'PUBLIC_URL must be an https:// URL' })
  PUBLIC_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,256}$/, { message: 'TG_WEBHOOK_SECRET must be 1-256 chars of A-Za-z0-9_-' })
  TG_WEBHOOK_SECRET?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  TELEGRAM_API_ROOT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt(TTL_RANGE)
  @Min(60, TTL_RANGE)
  AUTH_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TG_RATE_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  TG_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  TG_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  TG_BACKLOG_IN_MEMORY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  TG_HANDLER_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  TG_API_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  TG_JOURNAL_PARTITIONS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(200)
  @Max(600_000)
  TG_LEASE_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(300_000)
  TG_HEARTBEAT_MS?: number;

  @IsOptional()
  @Matches(/^(true|false|loopback|\d{1,2}|[0-9a-fA-F.:/,\s]+)$/, {
    message:
      'TRUST_PROXY must be true, false, loopback, a hop count, or a comma-separated list of proxy IPs/CIDRs',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600, { message: 'OTP_CODE_TTL_SECONDS must be at most 600 (10 minutes)' })
  OTP_CODE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  OTP_LOCK_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  OTP_MAX_WRONG_CODES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  OTP_PHONE_REQUEST_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  OTP_IP_REQUEST_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  OTP_REQUEST_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(168)
  REMINDER_HOURS_BEFORE?: number;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{80,100}$/, {
    message: 'VAPID_PUBLIC_KEY must be a base64url P-256 public key (npx web-push generate-vapid-keys)',
  })
  VAPID_PUBLIC_KEY?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{40,50}$/, {
    message: 'VAPID_PRIVATE_KEY must be a base64url P-256 private key (npx web-push generate-vapid-keys)',
  })
  VAPID_PRIVATE_KEY?: string;

  @IsOptional()
  @Matches(/^(mailto:\S+@\S+|https:\/\/\S+)$/, { message: 'VAPID_SUBJECT must be a mailto: or https:// URL' })
  VAPID_SUBJECT?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'OTP_LOG_CODES must be true or false' })
  OTP_LOG_CODES?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  HTTP_HEADERS_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_REQUEST_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @Matches(/^\s*(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\s*(,\s*(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\s*)*$/, {
    message:
      'WEB_PUSH_ALLOWED_HOSTS must be a comma-separated list of host names, each optionally starting with *.',
  })
  WEB_PUSH_ALLOWED_HOSTS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(300)
  WEB_PUSH_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'SANDBOX_ALLOW_REMOTE must be true or false' })
  SANDBOX_ALLOW_REMOTE?: string;
}

export type DatabaseConfig = { type: 'better-sqlite3'; path: string } | { type: 'postgres'; url: string };

/** Typed configuration every module injects; built from EnvironmentVariables with the local defaults. */
export class AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  /** Undefined means "the local default, and start redis-server if nothing answers". */
  readonly redisUrl: string | undefined;
  readonly redisPrefix: string;
  readonly telegram: {
    token: string | undefined;
    publicUrl: string | undefined;
    webhookSecret: string | undefined;
    apiRoot: string;
    /** A Bot API call without an answer after this long fails as retryable (long polling adds its own wait). */
    apiTimeoutSeconds: number;
  };
  readonly authTokenTtlSeconds: number;
  readonly logLevel: string;
  /** Which peers may set X-Forwarded-For (client IPs feed the OTP per-IP limit); Fastify's trustProxy. */
  readonly trustProxy: boolean | number | string;
  /** Public-client login by one-time code (gateway/otp). */
  readonly otp: {
    codeTtlSeconds: number;
    lockSeconds: number;
    maxWrongCodes: number;
    phoneRequestLimit: number;
    ipRequestLimit: number;
    requestWindowSeconds: number;
    /** Codes of phones without Telegram are written to the log: a development aid, off in production by default. */
    logCodes: boolean;
  };
  /** Clients are reminded this long before a visit (0: never). */
  readonly reminderHoursBefore: number;
  /** VAPID keys for Web Push; undefined: users without Telegram get no notifications (warned at start). */
  readonly webPush: { publicKey: string; privateKey: string; subject: string } | undefined;
  /** The Telegram update pipeline: per-user rate limit (fixed window) and cross-chat concurrency. */
  readonly webhook: {
    rateLimit: number;
    rateWindowSeconds: number;
    concurrency: number;
    /** Journaled updates held in memory waiting for their chat; beyond this they stay in the journal until there is room. */
    backlogInMemory: number;
    /** A handler still running after this long is given up on: its chat goes on with the next update. */
    handlerTimeoutSeconds: number;
    /** Streams the journal is split into by chat (chat id mod this); every instance on one Redis must agree. */
    partitions: number;
    /** A partition's owner holds it this long after its last heartbeat; then another instance may take it. */
    leaseMs: number;
    /** How often an instance renews its leases and announces itself (well under leaseMs). */
    heartbeatMs: number;
  };
  /** Limits of the one HTTP server (front door included): how long a request may take to arrive, and an idle connection to stay. */
  readonly http: {
    headersTimeoutSeconds: number;
    requestTimeoutSeconds: number;
    keepAliveTimeoutSeconds: number;
  };
  /** Web Push: hosts allowed besides the known push services, and how long one call to a push service may take. */
  readonly webPushDelivery: { allowedHosts: string[]; timeoutSeconds: number };
  /** The /sandbox page (no BOT_TOKEN only) answers clients beyond loopback too. */
  readonly sandboxAllowRemote: boolean;

  static readonly DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

  constructor(init: Omit<AppConfig, 'effectiveRedisUrl'>) {
    Object.assign(this, init);
  }

  get effectiveRedisUrl(): string {
    return this.redisUrl ?? AppConfig.DEFAULT_REDIS_URL;
  }
}

export class ConfigValidationError extends Error {}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

function describe(errors: ValidationError[]): string {
  return errors
    .map((e) => `${e.property}: ${[...new Set(Object.values(e.constraints ?? {}))].join('; ')}`)
    .join(', ');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, env, { enableImplicitConversion: false });
  const errors = validateSync(vars, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) throw new ConfigValidationError(`Invalid configuration: ${describe(errors)}`);
  const leaseMs = vars.TG_LEASE_MS ?? 5000;
  const heartbeatMs = vars.TG_HEARTBEAT_MS ?? Math.min(1000, Math.floor(leaseMs / 3));
  if (heartbeatMs * 2 > leaseMs)
    throw new ConfigValidationError(
      `Invalid configuration: TG_HEARTBEAT_MS (${heartbeatMs}) must be at most half of TG_LEASE_MS (${leaseMs}), so one missed heartbeat does not lose a lease`,
    );
  return new AppConfig({
    env: (vars.NODE_ENV as AppConfig['env']) ?? 'development',
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '0.0.0.0',
    database: vars.DATABASE_URL
      ? { type: 'postgres', url: vars.DATABASE_URL }
      : { type: 'better-sqlite3', path: vars.SQLITE_PATH ?? 'data/sqlite/booking.db' },
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX ?? '',
    telegram: {
      token: vars.BOT_TOKEN,
      publicUrl: vars.PUBLIC_URL,
      webhookSecret: vars.TG_WEBHOOK_SECRET,
      apiRoot: vars.TELEGRAM_API_ROOT ?? 'https://api.telegram.org',
      apiTimeoutSeconds: vars.TG_API_TIMEOUT_SECONDS ?? 10,
    },
    authTokenTtlSeconds: vars.AUTH_TOKEN_TTL_SECONDS ?? 30 * 24 * 3600,
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
    trustProxy: parseTrustProxy(vars.TRUST_PROXY ?? 'loopback'),
    otp: {
      codeTtlSeconds: vars.OTP_CODE_TTL_SECONDS ?? 600,
      lockSeconds: vars.OTP_LOCK_SECONDS ?? 15 * 60,
      maxWrongCodes: vars.OTP_MAX_WRONG_CODES ?? 5,
      phoneRequestLimit: vars.OTP_PHONE_REQUEST_LIMIT ?? 5,
      ipRequestLimit: vars.OTP_IP_REQUEST_LIMIT ?? 20,
      requestWindowSeconds: vars.OTP_REQUEST_WINDOW_SECONDS ?? 10 * 60,
      logCodes:
        vars.OTP_LOG_CODES === undefined ? vars.NODE_ENV !== 'production' : vars.OTP_LOG_CODES === 'true',
    },
    reminderHoursBefore: vars.REMINDER_HOURS_BEFORE ?? 24,
    webPush:
      vars.VAPID_PUBLIC_KEY && vars.VAPID_PRIVATE_KEY
        ? {
            publicKey: vars.VAPID_PUBLIC_KEY,
            privateKey: vars.VAPID_PRIVATE_KEY,
            subject: vars.VAPID_SUBJECT ?? 'mailto:admin@localhost',
          }
        : undefined,
    webhook: {
      rateLimit: vars.TG_RATE_LIMIT ?? 30,
      rateWindowSeconds: vars.TG_RATE_WINDOW_SECONDS ?? 10,
      concurrency: vars.TG_CONCURRENCY ?? 64,
      backlogInMemory: vars.TG_BACKLOG_IN_MEMORY ?? 1000,
      handlerTimeoutSeconds: vars.TG_HANDLER_TIMEOUT_SECONDS ?? 90,
      partitions: vars.TG_JOURNAL_PARTITIONS ?? 16,
      leaseMs,
      heartbeatMs,
    },
    http: {
      headersTimeoutSeconds: vars.HTTP_HEADERS_TIMEOUT_SECONDS ?? 10,
      requestTimeoutSeconds: vars.HTTP_REQUEST_TIMEOUT_SECONDS ?? 30,
      keepAliveTimeoutSeconds: vars.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS ?? 72,
    },
    webPushDelivery: {
      allowedHosts: (vars.WEB_PUSH_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
      timeoutSeconds: vars.WEB_PUSH_TIMEOUT_SECONDS ?? 10,
    },
    sandboxAllowRemote: vars.SANDBOX_ALLOW_REMOTE === 'true',
  });
}
