import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsPositive, Max, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { MAX_ID } from './parse-id.pipe';

/**
 * The field may be left out, but null is not a value for it (unlike @IsOptional, which lets null through
 * to a NOT NULL column). Use @IsOptional only where null means "clear it".
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A row id in a body or query: an integer 1..MAX_ID (beyond it, PostgreSQL's INTEGER overflows). */
export const IsId = (options?: ValidationOptions) =>
  applyDecorators(IsInt(options), IsPositive(options), Max(MAX_ID, options));

/**
 * A Telegram user id: a positive integer with up to 52 significant bits (Telegram's own bound), so above
 * 2^31 (many accounts) and at most Number.MAX_SAFE_INTEGER, which a BIGINT column and a double both hold.
 */
export const IsTelegramId = (property = 'tgId') => {
  const options = { message: `${property} must be a Telegram user id: a positive integer up to 2^53 - 1` };
  return applyDecorators(IsInt(options), IsPositive(options), Max(Number.MAX_SAFE_INTEGER, options));
};

/**
 * The canonical name of an IANA time zone, whatever its case (`europe/berlin` -> `Europe/Berlin`,
 * `utc` -> `UTC`, `etc/gmt-3` -> `Etc/GMT-3`), or undefined when it is not one. Only `Area/Location`
 * names and UTC: abbreviations such as `EST` or `CET` are ambiguous, not zones. A link spelled with
 * care (`Asia/Kolkata`, `Europe/Kyiv`, `Etc/UTC`) is kept as typed; one typed all in one case, whose
 * spelling cannot be known, becomes the name the runtime files that zone under (`asia/kolkata` -> `Asia/Calcutta`).
 */
export function canonicalTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  if (!value.includes('/') && value.toUpperCase() !== 'UTC') return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  const oneCase = value === value.toLowerCase() || value === value.toUpperCase();
  return resolved.toLowerCase() === value.toLowerCase() || oneCase ? resolved : value;
}

/** A time zone field: stored under its canonical name (see canonicalTimeZone), anything else is a 400. */
export const IsTimeZone = (property = 'timeZone') =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value),
    ValidateBy({
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) === value,
        defaultMessage: () => `${property} must be an IANA time zone such as Europe/Berlin or UTC`,
      },
    }),
  );
