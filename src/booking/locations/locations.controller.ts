import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { CurrentActor } from '../../common/current-actor.decorator';
import { Page } from '../../common/pagination';
import { LocationsApi } from '../api/locations.api';
import { CreateLocationDto, ListLocationsQuery, LocationDto, UpdateLocationDto } from '../api/locations.dto';

@ApiTags('locations')
@ApiBearerAuth()
@Controller('api/v1/locations')
export class LocationsController {
  constructor(private readonly locations: LocationsApi) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListLocationsQuery): Promise<Page<LocationDto>> {
    return this.locations.list(actor, query);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<LocationDto> {
    return this.locations.get(actor, id);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateLocationDto): Promise<LocationDto> {
    return this.locations.create(actor, dto);
  }

  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateLocationDto,
  ): Promise<LocationDto> {
    return this.locations.update(actor, id, dto);
  }

  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<LocationDto> {
    return this.locations.remove(actor, id);
  }
}
