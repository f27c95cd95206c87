import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../../common/errors';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
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
    if (exceedsDepth(value)) throw DomainError.invalid(`${metadata.type} is nested deeper than ${MAX_INPUT_DEPTH} levels`);
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
      return DomainError.invalid(message, { fields: Object.fromEntries(fields.map((f) => [f.field, f.problems])) });
    },
  });
}
