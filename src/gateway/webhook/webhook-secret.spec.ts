import { loadConfig } from '../../config/app-config';
import { SecretCheck, webhookSecret } from './webhook-secret';

describe('webhook secret', () => {
  const check = new SecretCheck('s3cret_token-A');

  it.each([
    ['s3cret_token-A', true],
    ['s3cret_token-B', false],
    ['s3cret_token-A ', false],
    ['s3cret', false],
    ['', false],
    [undefined, false],
    [['s3cret_token-A'], false],
  ])('%j matches: %s', (given, expected) => {
    expect(check.matches(given)).toBe(expected);
  });

  it('accepts nothing when no secret is configured', () => {
    expect(new SecretCheck(undefined).matches('')).toBe(false);
    expect(new SecretCheck(undefined).matches('anything')).toBe(false);
  });

  it('derives a valid, stable secret from the bot token', () => {
    const config = loadConfig({ BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' });
    const secret = webhookSecret(config)!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(webhookSecret(loadConfig({ BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' }))).toBe(secret);
    expect(
      webhookSecret(
        loadConfig({ BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TG_WEBHOOK_SECRET: 'mine' }),
      ),
    ).toBe('mine');
    expect(webhookSecret(loadConfig({}))).toBeUndefined();
  });
});
