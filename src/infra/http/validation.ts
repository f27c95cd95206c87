import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FastifyBodyParser } from 'fastify';
import { DomainError } from '../../common/errors';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    // Nested messages start with the bare property ("price must ..."): name the full path instead.
    const problems = Object.values(e.constraints ?? {}).map((m) => {
      if (!parent) return m;
      if (m.startsWith(`${e.property} `)) return `${field}${m.slice(e.property.length)}`;
      return m.replace(`property ${e.property} `, `property ${field} `);
    });
    const own = problems.length ? [{ field, problems }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** No DTO nests anywhere near this deep; deeper input would overflow the recursive transformers (a 500). */
export const MAX_INPUT_DEPTH = 32;
/** More fields than any DTO has (the largest has about 15): a wider object is refused before it is validated. */
export const MAX_OBJECT_KEYS = 64;
/** A 400 names this many fields at most: a body with thousands of wrong fields must not get a megabyte back. */
export const MAX_REPORTED_FIELDS = 20;

/**
 * What makes the input too costly to validate, if anything: nesting deeper than `depth` or an object
 * (not an array: DTOs bound those) with more than `keys` fields. One walk, without recursion, so
 * hostile input can neither overflow the stack here nor make class-validator report every field.
 */
export function inputTooCostly(
  value: unknown,
  depth = MAX_INPUT_DEPTH,
  keys = MAX_OBJECT_KEYS,
): string | undefined {
  let level: unknown[] = [value];
  for (let d = 0; level.length > 0; d++) {
    if (d > depth) return `is nested deeper than ${depth} levels`;
    const next: unknown[] = [];
    for (const v of level) {
      if (v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        for (const child of v as unknown[]) next.push(child);
        continue;
      }
      // Stops at the first field over the limit: listing 100,000 fields just to count them is the cost avoided.
      let count = 0;
      for (const key in v) {
        if (++count > keys) return `has an object with more than ${keys} fields`;
        next.push((v as Record<string, unknown>)[key]);
      }
    }
    level = next;
  }
  return undefined;
}

/**
 * The path of the first string holding U+0000 (`name`, `user.name`, `services.0.name`), if any.
 * PostgreSQL's text cannot store that character (a 500 there, garbage in SQLite), and no field means
 * anything by it. Run after inputTooCostly, which bounds the walk.
 */
export function nulCharacterAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * The same bounds as inputTooCostly, read off the raw JSON bytes before it is parsed: JSON.parse of an
 * object with thousands of fields costs milliseconds per request, which a stream of such bodies turns
 * into a stalled event loop. Counts each object's fields by its colons outside strings; whether the
 * JSON is well formed is left to the parser.
 */
export function jsonTooCostly(
  json: Buffer,
  depth = MAX_INPUT_DEPTH,
  keys = MAX_OBJECT_KEYS,
): string | undefined {
  // Per open container: its field count so far for an object, -1 for an array.
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      continue;
    }
    if (c === COLON) {
      if (open.length > 0 && open[open.length - 1] >= 0 && ++open[open.length - 1] > keys)
        return `has an object with more than ${keys} fields`;
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c /* , */) continue;
    // Anything else starts a key or a value inside the innermost container, one level below it.
    if (open.length > depth) return `is nested deeper than ${depth} levels`;
    if (c === QUOTE) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) open.push(c === 0x7b ? 0 : -1);
  }
  return undefined;
}

/** Fastify's JSON body parser, behind jsonTooCostly. */
export function boundedJsonParser(parse: FastifyBodyParser<string>): FastifyBodyParser<Buffer> {
  return (request, body, done) => {
    // `curl -X POST .../confirm -H 'content-type: application/json'` sends no body: an action without input, not bad JSON.
    if (body.length === 0) return done(null, {});
    const tooCostly = jsonTooCostly(body);
    if (tooCostly) return done(DomainError.invalid(`body ${tooCostly}`), undefined);
    return parse(request, body.toString('utf8'), done);
  };
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom parameters (the actor, a bot handler's Telegraf context) are ours, not input: never walked.
    if (metadata.type === 'custom') return value;
    const tooCostly = inputTooCostly(value);
    if (tooCostly) throw DomainError.invalid(`${metadata.type} ${tooCostly}`);
    const nulAt = nulCharacterAt(value);
    if (nulAt !== undefined) {
      const field = nulAt || metadata.data || metadata.type;
      const message = `${field} must not contain the NUL character (U+0000)`;
      throw DomainError.invalid(message, { fields: { [field]: [message] } });
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are rejected; the message names the offending fields, the first MAX_REPORTED_FIELDS of them. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const all = flatten(errors);
      const fields = all.slice(0, MAX_REPORTED_FIELDS);
      const more = all.length - fields.length;
      const message = [
        ...fields.map((f) => f.problems.join(', ')),
        ...(more > 0 ? [`and ${more} more fields`] : []),
      ].join('; ');
      return DomainError.invalid(message, {
        fields: Object.fromEntries(fields.map((f) => [f.field, f.problems])),
      });
    },
  });
}
