import { Body, Controller, Delete, Get, Patch, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { IdParam } from '../../common/id-param';
import { ApiPageResponse, Page } from '../../common/pagination';
import { NotificationSettingsApi } from '../api/notification-settings.api';
import {
  ListNotificationSettingsQuery,
  NotificationSettingDto,
  UpdateNotificationSettingDto,
  UpsertNotificationSettingDto,
} from '../api/notification-settings.dto';

@ApiTags('notification-settings')
@ApiBearerAuth()
@Controller('api/v1/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsApi) {}

  @ApiPageResponse(NotificationSettingDto)
  @Get()
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationSettingsQuery,
  ): Promise<Page<NotificationSettingDto>> {
    return this.settings.list(actor, query);
  }

  @ApiOkResponse({ type: NotificationSettingDto })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<NotificationSettingDto> {
    return this.settings.get(actor, id);
  }

  @ApiOkResponse({ type: NotificationSettingDto })
  @Put()
  upsert(
    @CurrentActor() actor: Actor,
    @Body() dto: UpsertNotificationSettingDto,
  ): Promise<NotificationSettingDto> {
    return this.settings.upsert(actor, dto);
  }

  @ApiOkResponse({ type: NotificationSettingDto })
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateNotificationSettingDto,
  ): Promise<NotificationSettingDto> {
    return this.settings.update(actor, id, dto);
  }

  @ApiOkResponse({ type: NotificationSettingDto })
  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<NotificationSettingDto> {
    return this.settings.remove(actor, id);
  }
}
