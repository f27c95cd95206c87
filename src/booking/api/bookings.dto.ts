import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsISO8601, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination';

import { IsOmittable, IsId } from '../../common/validation';
import { normalizePhone, PHONE_PATTERN } from './users.dto';

export const BOOKING_STATUSES = ['pending', 'confirmed', 'done', 'no_show', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Who caused a change; 'system' is the completion checker and other background jobs. */
export const INITIATOR_ROLES = ['client', 'admin', 'specialist', 'system'] as const;
export type InitiatorRole = (typeof INITIATOR_ROLES)[number];

/** Statuses whose booking still holds its specialist's and client's time. */
export const LIVE_STATUSES: readonly BookingStatus[] = ['pending', 'confirmed'];

/** Bookings start on the quarter-hour grid: a day is 96 cells of 15 minutes of local wall-clock time. */
export const CELL_MINUTES = 15;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** An instant with an explicit zone ('Z' or an offset): a bare local time would be ambiguous. */
const INSTANT_WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

export class BookingDto {
  @ApiProperty() id: number;
  @ApiProperty() clientId: number;
  @ApiProperty() specialistId: number;
  @ApiProperty() locationId: number;
  @ApiProperty() serviceId: number;
  @ApiProperty({ example: '2026-03-30T08:00:00.000Z' }) startAt: string;
  @ApiProperty() endAt: string;
  @ApiProperty({ description: 'snapshot taken when booked or moved' }) durationMin: number;
  @ApiProperty({ description: 'snapshot in minor units, taken when booked or moved' }) price: number;
  @ApiProperty({ enum: BOOKING_STATUSES }) status: BookingStatus;
  @ApiProperty({ enum: INITIATOR_ROLES }) createdByRole: InitiatorRole;
  @ApiProperty({ type: Number, nullable: true }) createdByUserId: number | null;
  @ApiProperty() comment: string;
  @ApiProperty({ type: String, nullable: true }) cancelReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

/** A client the admin books for: the user who proved this phone, else a separate unverified client record. */
export class NewClientDto {
  @ApiProperty({ example: 'Anna Petrova' })
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ example: '+491701234567' })
  @Transform(normalizePhone)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'client.phone must be in international format, e.g. +491701234567' })
  phone: string;
}

export class CreateBookingDto {
  @ApiProperty()
  @IsId()
  locationId: number;

  @ApiProperty()
  @IsId()
  serviceId: number;

  @ApiProperty()
  @IsId()
  specialistId: number;

  @ApiProperty({ example: '2026-03-30T08:00:00Z', description: 'UTC instant on the 15-minute grid' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_ZONE, { message: 'startAt must carry a zone, e.g. 2026-03-30T08:00:00Z' })
  startAt: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @Length(0, 1000)
  comment?: string;

  @ApiPropertyOptional({ description: 'admin only: book for this existing user' })
  @IsOmittable()
  @IsId()
  clientId?: number;

  @ApiPropertyOptional({
    type: NewClientDto,
    description: 'admin only: book for a client given by name and phone',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => NewClientDto)
  client?: NewClientDto;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(0, 500)
  reason?: string;
}

export class RescheduleBookingDto {
  @ApiPropertyOptional({ example: '2026-03-30T09:00:00Z' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_ZONE, { message: 'startAt must carry a zone, e.g. 2026-03-30T08:00:00Z' })
  startAt?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsId()
  specialistId?: number;
}

export class ListBookingsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'bookings starting at or after this instant' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'bookings starting before this instant' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Type(() => Number)
  @IsId()
  locationId?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @Type(() => Number)
  @IsId()
  specialistId?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @Type(() => Number)
  @IsId()
  clientId?: number;

  @ApiPropertyOptional({
    description: 'one status or several, comma-separated (e.g. pending,confirmed for upcoming live bookings)',
    example: 'pending,confirmed',
  })
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value))
  @IsIn(BOOKING_STATUSES, {
    each: true,
    message: `status must be one or more of ${BOOKING_STATUSES.join(', ')}`,
  })
  status?: BookingStatus[];
}
