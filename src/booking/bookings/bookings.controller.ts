import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { IdParam } from '../../common/id-param';
import { ApiPageResponse, Page } from '../../common/pagination';
import { BookingsApi, WriteOptions } from '../api/bookings.api';
import {
  BookingDto,
  CancelBookingDto,
  CreateBookingDto,
  ListBookingsQuery,
  RescheduleBookingDto,
} from '../api/bookings.dto';
import { ApiIdempotencyKey, Idempotency } from './idempotency-key.decorator';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('api/v1/bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsApi) {}

  @Get()
  @ApiOperation({ summary: 'Bookings by start; a client sees own, a specialist the ones with them' })
  @ApiPageResponse(BookingDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListBookingsQuery): Promise<Page<BookingDto>> {
    return this.bookings.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BookingDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<BookingDto> {
    return this.bookings.get(actor, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Book a start (client for themselves; admin for clientId or a new client by name and phone)',
  })
  @ApiCreatedResponse({ type: BookingDto })
  @ApiConflictResponse({ description: 'slot_taken, client_overlap, slot_unavailable' })
  @ApiIdempotencyKey()
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateBookingDto,
    @Idempotency() options: WriteOptions,
  ): Promise<BookingDto> {
    return this.bookings.create(actor, dto, options);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ApiConflictResponse({ description: 'illegal_transition' })
  @ApiIdempotencyKey()
  confirm(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Idempotency() options: WriteOptions,
  ): Promise<BookingDto> {
    return this.bookings.confirm(actor, id, options);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ApiConflictResponse({ description: 'illegal_transition, cancellation_cutoff' })
  @ApiIdempotencyKey()
  cancel(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: CancelBookingDto,
    @Idempotency() options: WriteOptions,
  ): Promise<BookingDto> {
    return this.bookings.cancel(actor, id, dto ?? {}, options);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ApiConflictResponse({ description: 'illegal_transition, slot_taken, client_overlap, cancellation_cutoff' })
  @ApiIdempotencyKey()
  reschedule(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: RescheduleBookingDto,
    @Idempotency() options: WriteOptions,
  ): Promise<BookingDto> {
    return this.bookings.reschedule(actor, id, dto, options);
  }

  @Post(':id/done')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ApiConflictResponse({ description: 'illegal_transition, not_started' })
  @ApiIdempotencyKey()
  done(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Idempotency() options: WriteOptions,
  ): Promise<BookingDto> {
    return this.bookings.markDone(actor, id, options);
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  @ApiConflictResponse({ description: 'illegal_transition, not_started' })
  @ApiIdempotencyKey()
  noShow(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Idempotency() options: WriteOptions,
  ): Promise<BookingDto> {
    return this.bookings.markNoShow(actor, id, options);
  }
}
