import { AppConfig, ConfigValidationError, loadConfig } from './app-config';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '0.0.0.0',
      database: { type: 'better-sqlite3', path: 'data/sqlite/booking.db' },
      redisUrl: undefined,
      redisPrefix: '',
      telegram: { token: undefined, apiRoot: 'https://api.telegram.org' },
      authTokenTtlSeconds: 30 * 24 * 3600,
      logLevel: 'info',
    });
    expect(config.effectiveRedisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('treats empty strings as unset for numbers', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it('reads valid values', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      REDIS_URL: 'rediss://cache.internal:6380',
      BOT_TOKEN: '123456:ABCdefGhIJKlmnOPQrstUVwxyz_-12',
      DATABASE_URL: 'postgres://u:p@db/booking',
      AUTH_TOKEN_TTL_SECONDS: '3600',
    });
    expect(config).toMatchObject({
      env: 'production',
      port: 8080,
      redisUrl: 'rediss://cache.internal:6380',
      database: { type: 'postgres', url: 'postgres://u:p@db/booking' },
      authTokenTtlSeconds: 3600,
      telegram: { token: '123456:ABCdefGhIJKlmnOPQrstUVwxyz_-12' },
    });
    expect(config.effectiveRedisUrl).toBe('rediss://cache.internal:6380');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['REDIS_URL', 'http://x'],
    ['REDIS_URL', 'localhost:6379'],
    ['BOT_TOKEN', 'bad'],
    ['BOT_TOKEN', '123456:short'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'http://example.com'],
    ['TG_WEBHOOK_SECRET', 'has spaces'],
    ['AUTH_TOKEN_TTL_SECONDS', '10'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    const message = failure({ [name]: value });
    expect(message).not.toContain('\n');
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
  });

  it('says what is expected', () => {
    expect(failure({ PORT: 'abc' })).toBe(
      'Invalid configuration: PORT: PORT must be an integer from 0 to 65535',
    );
    expect(failure({ REDIS_URL: 'http://x' })).toBe(
      'Invalid configuration: REDIS_URL: REDIS_URL must be a redis:// URL',
    );
    expect(failure({ BOT_TOKEN: 'bad' })).toContain('BOT_TOKEN must look like 123456:');
  });

  it('names every bad variable, still on one line', () => {
    const message = failure({ PORT: 'abc', REDIS_URL: 'http://x', BOT_TOKEN: 'bad' });
    expect(message).not.toContain('\n');
    for (const name of ['PORT', 'REDIS_URL', 'BOT_TOKEN']) expect(message).toContain(`${name}: `);
  });

  it('reads the journal partitions and their lease, whose heartbeat must fit twice in it', () => {
    expect(loadConfig({}).webhook).toMatchObject({ partitions: 16, leaseMs: 5000, heartbeatMs: 1000 });
    expect(loadConfig({ TG_LEASE_MS: '1500' }).webhook).toMatchObject({ leaseMs: 1500, heartbeatMs: 500 });
    expect(loadConfig({ TG_JOURNAL_PARTITIONS: '4', TG_HEARTBEAT_MS: '200' }).webhook).toMatchObject({
      partitions: 4,
      heartbeatMs: 200,
    });
    expect(failure({ TG_LEASE_MS: '1000', TG_HEARTBEAT_MS: '600' })).toBe(
      'Invalid configuration: TG_HEARTBEAT_MS (600) must be at most half of TG_LEASE_MS (1000), so one missed heartbeat does not lose a lease',
    );
    expect(failure({ TG_JOURNAL_PARTITIONS: '0' })).toMatch(
      /^Invalid configuration: TG_JOURNAL_PARTITIONS: /,
    );
  });

  it.each([
    [undefined, 'loopback'],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('reads TRUST_PROXY=%s as %p', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('rejects a TRUST_PROXY that is none of the accepted forms', () => {
    expect(failure({ TRUST_PROXY: 'everyone' })).toContain('TRUST_PROXY: ');
  });
});
