import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Unknown fields are rejected; the message names every offending field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
