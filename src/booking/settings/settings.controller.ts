import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { SettingsApi } from '../api/settings.api';
import { SettingsDto, UpdateSettingsDto } from '../api/settings.dto';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsApi) {}

  @Get()
  get(@CurrentActor() actor: Actor): Promise<SettingsDto> {
    return this.settings.get(actor);
  }

  @Patch()
  update(@CurrentActor() actor: Actor, @Body() dto: UpdateSettingsDto): Promise<SettingsDto> {
    return this.settings.update(actor, dto);
  }
}
