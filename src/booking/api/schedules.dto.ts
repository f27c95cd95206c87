import { IsId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDivisibleBy,
  IsIn,
  IsInt,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { DateTime } from 'luxon';
import { PageQuery } from '../../common/pagination';

export const EXCEPTION_KINDS = ['day_off', 'custom_hours'] as const;
export type ScheduleExceptionKind = (typeof EXCEPTION_KINDS)[number];
/** Minutes in a local day; interval ends are exclusive, so 1440 means "until midnight". */
export const DAY_MINUTES = 1440;

@ValidatorConstraint({ name: 'localDate' })
export class IsLocalDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
  }
  defaultMessage(args?: ValidationArguments): string {
    return `${args?.property ?? 'date'} must be a calendar date YYYY-MM-DD`;
  }
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** One working interval of a weekday, in the location's local time; gaps between intervals are breaks. */
export class WeeklyIntervalInput {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday ... 7 = Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: 540, description: 'minutes after local midnight, a multiple of 15' })
  @IsInt()
  @IsDivisibleBy(15)
  @Min(0)
  @Max(DAY_MINUTES - 15)
  startMin: number;

  @ApiProperty({
    example: 1080,
    description: 'exclusive end, minutes after local midnight, a multiple of 15; 1440 = midnight',
  })
  @IsInt()
  @IsDivisibleBy(15)
  @Min(15)
  @Max(DAY_MINUTES)
  endMin: number;
}

export class CreateWorkIntervalDto extends WeeklyIntervalInput {
  @ApiProperty()
  @IsId()
  specialistId: number;

  @ApiProperty()
  @IsId()
  locationId: number;
}

export class WorkIntervalDto {
  @ApiProperty() id: number;
  @ApiProperty() specialistId: number;
  @ApiProperty() locationId: number;
  @ApiProperty({ description: 'ISO weekday: 1 = Monday ... 7 = Sunday' }) weekday: number;
  @ApiProperty() startMin: number;
  @ApiProperty() endMin: number;
}

export class ListIntervalsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsId()
  specialistId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsId()
  locationId?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 7 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7)
  weekday?: number;
}

export class WeekQuery {
  @ApiProperty({ description: 'the location whose week is read or replaced' })
  @Type(() => Number)
  @IsId()
  locationId: number;
}

export class ScheduleExceptionDto {
  @ApiProperty() id: number;
  @ApiProperty() locationId: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: the whole location (a holiday)' })
  specialistId: number | null;
  @ApiProperty({ example: '2026-12-24', description: 'local date' }) date: string;
  @ApiProperty({ enum: EXCEPTION_KINDS }) kind: ScheduleExceptionKind;
  @ApiProperty({ type: Number, nullable: true }) startMin: number | null;
  @ApiProperty({ type: Number, nullable: true }) endMin: number | null;
  @ApiProperty() reason: string;
}

export class CreateScheduleExceptionDto {
  @ApiProperty()
  @IsId()
  locationId: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'omit or null: the whole location (a holiday)',
  })
  @IsOptional()
  @IsInt()
  @IsPositive()
  specialistId?: number | null;

  @ApiProperty({ example: '2026-12-24', description: 'local date at the location' })
  @Validate(IsLocalDate)
  date: string;

  @ApiProperty({
    enum: EXCEPTION_KINDS,
    description: 'day_off closes the day; custom_hours replaces its hours',
  })
  @IsIn(EXCEPTION_KINDS)
  kind: ScheduleExceptionKind;

  @ApiPropertyOptional({ description: 'required for custom_hours' })
  @IsOptional()
  @IsInt()
  @IsDivisibleBy(15)
  @Min(0)
  @Max(DAY_MINUTES - 15)
  startMin?: number;

  @ApiPropertyOptional({ description: 'required for custom_hours; exclusive' })
  @IsOptional()
  @IsInt()
  @IsDivisibleBy(15)
  @Min(15)
  @Max(DAY_MINUTES)
  endMin?: number;

  @ApiPropertyOptional({ example: 'Christmas Eve' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(0, 255)
  reason?: string;
}

export class ListExceptionsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsId()
  locationId?: number;

  @ApiPropertyOptional({
    description:
      'exceptions that apply to this specialist: their own and the location-wide ones of their locations',
  })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  specialistId?: number;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'first date, inclusive' })
  @IsOptional()
  @Validate(IsLocalDate)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'last date, inclusive' })
  @IsOptional()
  @Validate(IsLocalDate)
  to?: string;
}
