import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { BroadcastsApi } from '../api/broadcasts.api';
import { BroadcastDto, CreateBroadcastDto } from '../api/broadcasts.dto';

@ApiTags('broadcasts')
@ApiBearerAuth()
@Controller('api/v1/broadcasts')
export class BroadcastsController {
  constructor(private readonly broadcasts: BroadcastsApi) {}

  /** Admins: a message to every user of the given roles (clients by default), at most 30 messages/s. */
  @ApiAcceptedResponse({ type: BroadcastDto })
  @HttpCode(202)
  @Post()
  send(@CurrentActor() actor: Actor, @Body() dto: CreateBroadcastDto): Promise<BroadcastDto> {
    return this.broadcasts.send(actor, dto);
  }
}
