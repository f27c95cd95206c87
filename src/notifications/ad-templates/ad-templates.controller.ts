import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { IdParam } from '../../common/id-param';
import { ApiPageResponse, Page } from '../../common/pagination';
import { AdTemplatesApi } from '../api/ad-templates.api';
import {
  AdTemplateDto,
  CreateAdTemplateDto,
  ListAdTemplatesQuery,
  UpdateAdTemplateDto,
} from '../api/ad-templates.dto';

@ApiTags('ad-templates')
@ApiBearerAuth()
@Controller('api/v1/ad-templates')
export class AdTemplatesController {
  constructor(private readonly templates: AdTemplatesApi) {}

  @ApiPageResponse(AdTemplateDto)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListAdTemplatesQuery): Promise<Page<AdTemplateDto>> {
    return this.templates.list(actor, query);
  }

  @ApiOkResponse({ type: AdTemplateDto })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<AdTemplateDto> {
    return this.templates.get(actor, id);
  }

  @ApiCreatedResponse({ type: AdTemplateDto })
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAdTemplateDto): Promise<AdTemplateDto> {
    return this.templates.create(actor, dto);
  }

  @ApiOkResponse({ type: AdTemplateDto })
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateAdTemplateDto,
  ): Promise<AdTemplateDto> {
    return this.templates.update(actor, id, dto);
  }

  /** Deactivates: notification settings may still refer to it. */
  @ApiOkResponse({ type: AdTemplateDto })
  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<AdTemplateDto> {
    return this.templates.remove(actor, id);
  }
}
