import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { DomainError } from '../../common/errors';
import type { WriteOptions } from '../api/bookings.api';

const VISIBLE_ASCII = /^[\x21-\x7e]{1,100}$/;

/** The request's `Idempotency-Key` header as WriteOptions; anything but 1-100 visible ASCII characters is a 400. */
export const Idempotency = createParamDecorator((_: unknown, ctx: ExecutionContext): WriteOptions => {
  const header = ctx.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
    'idempotency-key'
  ];
  if (header === undefined) return {};
  if (typeof header !== 'string' || !VISIBLE_ASCII.test(header)) {
    throw DomainError.invalid('Idempotency-Key must be 1-100 visible ASCII characters', {
      fields: { 'Idempotency-Key': ['1-100 visible ASCII characters'] },
    });
  }
  return { idempotencyKey: header };
});

/** OpenAPI: the header a write endpoint honours. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      "Up to 100 visible ASCII characters. The same key from the same user returns the first call's booking (as it is now) without writing again; keys are kept 3 days.",
  });
