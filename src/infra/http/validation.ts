import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Depth of nested objects and arrays, measured without recursion so hostile input cannot overflow the stack here. */
export function exceedsDepth(value: unknown, limit = MAX_INPUT_DEPTH): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > limit) return true;
    const next: unknown[] = [];
    for (const v of level) {
      if (v !== null && typeof v === 'object') next.push(...Object.values(v as object));
    }
    level = next;
  }
  return false;
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom parameters (the actor, a bot handler's Telegraf context) are ours, not input: never walked.
    if (metadata.type === 'custom') return value;
    if (exceedsDepth(value))
      throw DomainError.invalid(`${metadata.type} is nested deeper than ${MAX_INPUT_DEPTH} levels`);
    return super.transform(value, metadata);
  }
}

/** Unknown fields are rejected; the message names every offending field. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = fields.map((f) => f.problems.join(', ')).join('; ');
      return DomainError.invalid(message, {
        fields: Object.fromEntries(fields.map((f) => [f.field, f.problems])),
      });
    },
  });
}
