import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Validate } from 'class-validator';
import { IsId } from '../../common/validation';
import { IsLocalDate } from './schedules.dto';

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export class BookingsReportQuery {
  @ApiProperty({ enum: REPORT_PERIODS, description: 'a week starts on Monday' })
  @IsIn(REPORT_PERIODS)
  period: ReportPeriod;

  @ApiProperty({
    example: '2026-04-14',
    description: "any local date inside the period, in each location's zone",
  })
  @Validate(IsLocalDate)
  date: string;

  @ApiPropertyOptional({ description: 'one location only' })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  locationId?: number;
}

/** Bookings starting in the period: all of them, and how they ended; revenue is the price of those done. */
export class ReportFiguresDto {
  @ApiProperty() bookings: number;
  @ApiProperty() done: number;
  @ApiProperty() noShows: number;
  @ApiProperty() cancelled: number;
  @ApiProperty({ description: 'minor units, the sum of the done bookings' }) revenue: number;
}

export class SpecialistReportDto extends ReportFiguresDto {
  @ApiProperty() specialistId: number;
  @ApiProperty() name: string;
}

export class LocationReportDto extends ReportFiguresDto {
  @ApiProperty() locationId: number;
  @ApiProperty() name: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ description: "the period's first instant in the location's zone" }) from: string;
  @ApiProperty({ description: 'the instant after the period (exclusive)' }) to: string;
  @ApiProperty({ type: [SpecialistReportDto], description: 'specialists with bookings in the period' })
  specialists: SpecialistReportDto[];
}

export class BookingsReportDto {
  @ApiProperty({ enum: REPORT_PERIODS }) period: ReportPeriod;
  @ApiProperty({ description: "the period's first local date" }) firstDate: string;
  @ApiProperty({ description: "the period's last local date (inclusive)" }) lastDate: string;
  @ApiProperty({ type: ReportFiguresDto }) totals: ReportFiguresDto;
  @ApiProperty({ type: [LocationReportDto] }) locations: LocationReportDto[];
}
