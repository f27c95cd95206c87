import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { CurrentActor } from '../../common/current-actor.decorator';
import { Page } from '../../common/pagination';
import { SpecialistsApi } from '../api/specialists.api';
import {
  CreateSpecialistDto,
  ListSpecialistsQuery,
  SpecialistDto,
  UpdateSpecialistDto,
} from '../api/specialists.dto';

@ApiTags('specialists')
@ApiBearerAuth()
@Controller('api/v1/specialists')
export class SpecialistsController {
  constructor(private readonly specialists: SpecialistsApi) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListSpecialistsQuery): Promise<Page<SpecialistDto>> {
    return this.specialists.list(actor, query);
  }

  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<SpecialistDto> {
    return this.specialists.me(actor);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<SpecialistDto> {
    return this.specialists.get(actor, id);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSpecialistDto): Promise<SpecialistDto> {
    return this.specialists.create(actor, dto);
  }

  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateSpecialistDto,
  ): Promise<SpecialistDto> {
    return this.specialists.update(actor, id, dto);
  }

  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<SpecialistDto> {
    return this.specialists.remove(actor, id);
  }
}
