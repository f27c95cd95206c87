import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { CurrentActor } from '../../common/current-actor.decorator';
import { Page } from '../../common/pagination';
import { ServicesApi } from '../api/services.api';
import { CreateServiceDto, ListServicesQuery, ServiceDto, UpdateServiceDto } from '../api/services.dto';

@ApiTags('services')
@ApiBearerAuth()
@Controller('api/v1/services')
export class ServicesController {
  constructor(private readonly services: ServicesApi) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListServicesQuery): Promise<Page<ServiceDto>> {
    return this.services.list(actor, query);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<ServiceDto> {
    return this.services.get(actor, id);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateServiceDto): Promise<ServiceDto> {
    return this.services.create(actor, dto);
  }

  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateServiceDto,
  ): Promise<ServiceDto> {
    return this.services.update(actor, id, dto);
  }

  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<ServiceDto> {
    return this.services.remove(actor, id);
  }
}
