import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but null is not a value for it (unlike @IsOptional, which lets null through
 * to a NOT NULL column). Use @IsOptional only where null means "clear it".
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
