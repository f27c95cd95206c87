import { ConfigValidationError, loadConfig } from '../../config/app-config';
import { maskPhone, otpText } from './otp-text';
import { generateCode, hashCode } from './otp.service';

describe('generateCode', () => {
  it('always gives six digits and uses the whole range, leading zeros included', () => {
    const codes = Array.from({ length: 20_000 }, generateCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    // 20k draws from 10^6: about 2% start with "0"; a generator that drops zeros or stays high gives none.
    expect(codes.filter((c) => c.startsWith('0')).length).toBeGreaterThan(200);
    expect(codes.filter((c) => c.startsWith('9')).length).toBeGreaterThan(200);
    expect(new Set(codes).size).toBeGreaterThan(19_500);
  });
});

describe('hashCode', () => {
  it.each([
    ['+491701234567', '123456', '+491701234567', '123456', true],
    ['+491701234567', '123456', '+491701234568', '123456', false],
    ['+491701234567', '123456', '+491701234567', '123457', false],
    ['+491701234567', '012345', '+491701234567', '12345', false],
  ])('%s/%s vs %s/%s equal: %s', (phoneA, codeA, phoneB, codeB, equal) => {
    expect(hashCode(phoneA, codeA) === hashCode(phoneB, codeB)).toBe(equal);
  });

  it('is hex SHA-256 and does not contain the code', () => {
    const hash = hashCode('+491701234567', '424242');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('424242');
  });
});

describe('otpText', () => {
  it.each([
    ['en', 600, 'Your login code: 042917. It is valid for 10 min. Do not share it with anyone.'],
    ['ru', 600, 'Код для входа: 042917. Действует 10 мин. Никому не сообщайте этот код.'],
    ['en', 61, 'Your login code: 042917. It is valid for 2 min. Do not share it with anyone.'],
    ['en', 1, 'Your login code: 042917. It is valid for 1 min. Do not share it with anyone.'],
  ] as const)('%s, ttl %i s', (language, ttl, text) => {
    expect(otpText(language, '042917', ttl)).toBe(text);
  });
});

describe('maskPhone', () => {
  it.each([
    ['+491701234567', '+49******4567'],
    ['+12345678', '+12**5678'],
    ['+123456', '+******'],
  ])('%s -> %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('OTP configuration', () => {
  it('defaults to 10-minute codes, 5 wrong codes, a 15-minute lock and 5 / 20 requests per 10 minutes', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).otp).toEqual({
      codeTtlSeconds: 600,
      lockSeconds: 900,
      maxWrongCodes: 5,
      phoneRequestLimit: 5,
      ipRequestLimit: 20,
      requestWindowSeconds: 600,
      logCodes: true,
    });
  });

  it('keeps codes out of the log in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).otp.logCodes).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', OTP_LOG_CODES: 'true' }).otp.logCodes).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', OTP_LOG_CODES: 'false' }).otp.logCodes).toBe(false);
  });

  it.each([
    [{ OTP_CODE_TTL_SECONDS: '601' }, 'OTP_CODE_TTL_SECONDS must be at most 600'],
    [{ OTP_CODE_TTL_SECONDS: '0' }, 'OTP_CODE_TTL_SECONDS'],
    [{ OTP_LOG_CODES: 'yes' }, 'OTP_LOG_CODES must be true or false'],
    [{ OTP_MAX_WRONG_CODES: 'five' }, 'OTP_MAX_WRONG_CODES'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
