import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { BroadcastsApi } from '../api/broadcasts.api';
import { BroadcastDto, BroadcastProgressDto, CreateBroadcastDto } from '../api/broadcasts.dto';

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

  /** Admins: how far a broadcast got (queued, sent, failed). */
  @ApiOkResponse({ type: BroadcastProgressDto })
  @Get(':id')
  progress(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<BroadcastProgressDto> {
    return this.broadcasts.progress(actor, id);
  }
}
