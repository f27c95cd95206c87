import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/current-actor.decorator';
import { SlotsApi } from './api/slots.api';
import {
  AvailableDaysDto,
  DaysQuery,
  GridQuery,
  LocationGridDto,
  StartsDto,
  StartsQuery,
} from './api/slots.dto';

@ApiTags('slots')
@ApiBearerAuth()
@Controller('api/v1/slots')
export class SlotsController {
  constructor(private readonly slots: SlotsApi) {}

  @Get('grid')
  @ApiOperation({
    summary:
      'The 96 wall-clock cells of each specialist on a location-day (admin; a specialist sees own row)',
  })
  @ApiOkResponse({ type: LocationGridDto })
  grid(@CurrentActor() actor: Actor, @Query() query: GridQuery): Promise<LocationGridDto> {
    return this.slots.grid(actor, query);
  }

  @Get('starts')
  @ApiOperation({ summary: 'Bookable starts of a service on a local date, for one specialist or any' })
  @ApiOkResponse({ type: StartsDto })
  starts(@CurrentActor() actor: Actor, @Query() query: StartsQuery): Promise<StartsDto> {
    return this.slots.starts(actor, query);
  }

  @Get('days')
  @ApiOperation({ summary: 'Local dates of a month with at least one bookable start' })
  @ApiOkResponse({ type: AvailableDaysDto })
  days(@CurrentActor() actor: Actor, @Query() query: DaysQuery): Promise<AvailableDaysDto> {
    return this.slots.days(actor, query);
  }
}
