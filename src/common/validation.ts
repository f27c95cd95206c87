import { applyDecorators } from '@nestjs/common';
import { IsInt, IsPositive, Max, ValidateIf, ValidationOptions } from 'class-validator';
import { MAX_ID } from './parse-id.pipe';

/**
 * The field may be left out, but null is not a value for it (unlike @IsOptional, which lets null through
 * to a NOT NULL column). Use @IsOptional only where null means "clear it".
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A row id in a body or query: an integer 1..MAX_ID (beyond it, PostgreSQL's INTEGER overflows). */
export const IsId = (options?: ValidationOptions) =>
  applyDecorators(IsInt(options), IsPositive(options), Max(MAX_ID, options));
