import { IsId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsOptional,
  Matches,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

@ValidatorConstraint({ name: 'calendarDate' })
export class IsCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const m = /^(20\d\d)-(\d\d)-(\d\d)$/.exec(value);
    if (!m) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }
  defaultMessage(): string {
    return 'date must be a calendar date YYYY-MM-DD between 2000 and 2099';
  }
}

class LocationDayQuery {
  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsId()
  locationId: number;

  @ApiProperty({ example: '2026-03-29', description: 'local date at the location' })
  @Validate(IsCalendarDate)
  date: string;
}

export class GridQuery extends LocationDayQuery {}

export class StartsQuery extends LocationDayQuery {
  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsId()
  serviceId: number;

  @ApiPropertyOptional({ description: 'omit for any specialist' })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  specialistId?: number;
}

export class DaysQuery {
  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsId()
  locationId: number;

  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsId()
  serviceId: number;

  @ApiProperty({ example: '2026-03', description: 'YYYY-MM' })
  @Matches(/^20\d\d-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM between 2000 and 2099' })
  month: string;

  @ApiPropertyOptional({ description: 'omit for any specialist' })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  specialistId?: number;
}

export const CELL_STATES = ['closed', 'free', 'booked'] as const;
export type CellStateDto = (typeof CELL_STATES)[number];

/** One wall-clock quarter-hour of the local day. */
export class GridCellDto {
  @ApiProperty({ example: '09:15' }) label: string;
  @ApiProperty({ description: 'false when clocks skip this time that day (never offered)' }) exists: boolean;
  @ApiProperty({
    description:
      'true when this time occurs twice that day: the cell is its first occurrence; the second occurrence is closed',
  })
  repeated: boolean;
  @ApiProperty({ type: String, nullable: true, example: '2026-03-29T08:15:00.000Z' }) startAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+02:00' }) utcOffset: string | null;
}

export class SpecialistGridDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CELL_STATES, isArray: true, description: '96 cells, 00:00 to 23:45 wall-clock' })
  cells: CellStateDto[];
}

export class LocationGridDto {
  @ApiProperty() locationId: number;
  @ApiProperty({ example: '2026-03-29' }) date: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty({ description: 'real quarter-hours in the day: 96, or 92 / 100 on clock-change days' })
  quarterHours: number;
  @ApiProperty({ type: [GridCellDto] }) cells: GridCellDto[];
  @ApiProperty({ type: [SpecialistGridDto] }) specialists: SpecialistGridDto[];
}

export class StartDto {
  @ApiProperty({ example: '2026-03-29T07:00:00.000Z', description: 'UTC instant' }) startAt: string;
  @ApiProperty({ example: '09:00', description: 'local wall-clock time' }) localTime: string;
  @ApiProperty({ example: '2026-03-29T09:00' }) localDateTime: string;
  @ApiProperty({ example: '+02:00' }) utcOffset: string;
  @ApiProperty() specialistId: number;
  @ApiProperty() specialistName: string;
  @ApiProperty({ description: "this specialist's duration for the service" }) durationMin: number;
  @ApiProperty({ description: "this specialist's price, minor units" }) price: number;
  @ApiProperty({ type: [Number], description: 'with "any": other specialists free at the same start' })
  otherSpecialistIds: number[];
}

export class StartsDto {
  @ApiProperty() locationId: number;
  @ApiProperty() serviceId: number;
  @ApiProperty() date: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [StartDto] }) starts: StartDto[];
}

export class AvailableDaysDto {
  @ApiProperty() locationId: number;
  @ApiProperty() serviceId: number;
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [String], example: ['2026-03-30', '2026-03-31'] }) days: string[];
}
