import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors';

/** Largest id an INTEGER column holds in PostgreSQL; anything outside 1..MAX_ID cannot name a row. */
export const MAX_ID = 2_147_483_647;

/**
 * A path id, 1..MAX_ID. Unlike ParseIntPipe it refuses ids that overflow the database's integer type (a 500
 * on PostgreSQL), naming the parameter in the 400. The global ValidationPipe may already have turned the
 * text into a number (so "1e3" arrives as 1000); text is accepted as plain digits only.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string | number, number> {
  transform(value: string | number, metadata: { data?: string }): number {
    const name = metadata.data ?? 'id';
    const id = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(Number.isInteger(id) && id >= 1 && id <= MAX_ID))
      throw DomainError.invalid(`${name} in the path must be a positive integer up to ${MAX_ID}`);
    return id;
  }
}
