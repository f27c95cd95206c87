import { Param, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors';

/** Ids are SQLite rowids: positive and within the safe-integer range. */
class PositiveIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    const id = /^[1-9]\d{0,14}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id))
      throw DomainError.invalid(`${this.name} in the path must be a positive integer`);
    return id;
  }
}

/** A path id; a bad one is a 400 naming the parameter. */
export const IdParam = (name = 'id') => Param(name, new PositiveIdPipe(name));
