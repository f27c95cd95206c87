import { IsOmittable } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { IANAZone } from 'luxon';
import { PageQuery } from '../../common/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@ValidatorConstraint({ name: 'ianaTimeZone' })
export class IsIanaTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.includes('/') && IANAZone.isValidZone(value);
  }
  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Europe/Berlin';
  }
}

export class LocationDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() address: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty() active: boolean;
}

export class CreateLocationDto {
  @ApiProperty({ example: 'Salon Mitte' }) @Transform(trim) @IsString() @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: 'Torstr. 1, Berlin' }) @IsOmittable() @Transform(trim) @IsString() @Length(0, 255)
  address?: string;

  @ApiProperty({ example: 'Europe/Berlin' }) @Validate(IsIanaTimeZone)
  timeZone: string;
}

export class UpdateLocationDto {
  @ApiPropertyOptional() @IsOmittable() @Transform(trim) @IsString() @Length(1, 120)
  name?: string;

  @ApiPropertyOptional() @IsOmittable() @Transform(trim) @IsString() @Length(0, 255)
  address?: string;

  @ApiPropertyOptional() @IsOmittable() @Validate(IsIanaTimeZone)
  timeZone?: string;

  @ApiPropertyOptional() @IsOmittable() @IsBoolean()
  active?: boolean;
}

export class ListLocationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'admins see inactive ones too unless filtered' })
  @IsOmittable() @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
