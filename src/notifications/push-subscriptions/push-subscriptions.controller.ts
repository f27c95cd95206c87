import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor, Public } from '../../common/current-actor.decorator';
import { DomainError, ErrorCode } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { IdParam } from '../../common/id-param';
import { ApiPageResponse, Page } from '../../common/pagination';
import { PushSubscriptionsApi } from '../api/push-subscriptions.api';
import {
  CreatePushSubscriptionDto,
  ListPushSubscriptionsQuery,
  PushSubscriptionDto,
  VapidPublicKeyDto,
} from '../api/push-subscriptions.dto';

@ApiTags('push-subscriptions')
@ApiBearerAuth()
@Controller('api/v1/push-subscriptions')
export class PushSubscriptionsController {
  constructor(
    private readonly subscriptions: PushSubscriptionsApi,
    private readonly config: AppConfig,
  ) {}

  /** The key a browser passes to PushManager.subscribe() as applicationServerKey; 404 when Web Push is off. */
  @ApiOkResponse({ type: VapidPublicKeyDto })
  @Public()
  @Get('vapid-public-key')
  vapidPublicKey(): VapidPublicKeyDto {
    const key = this.config.webPush?.publicKey;
    if (!key) throw new DomainError(ErrorCode.NotFound, 'Web Push is not configured on this server');
    return { publicKey: key };
  }

  /** Subscribes the caller's browser; the same endpoint again replaces its keys and owner. */
  @ApiCreatedResponse({ type: PushSubscriptionDto })
  @Post()
  subscribe(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePushSubscriptionDto,
  ): Promise<PushSubscriptionDto> {
    return this.subscriptions.subscribe(actor, dto);
  }

  @ApiPageResponse(PushSubscriptionDto)
  @Get()
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListPushSubscriptionsQuery,
  ): Promise<Page<PushSubscriptionDto>> {
    return this.subscriptions.list(actor, query);
  }

  @ApiOkResponse({ type: PushSubscriptionDto })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<PushSubscriptionDto> {
    return this.subscriptions.get(actor, id);
  }

  @ApiOkResponse({ type: PushSubscriptionDto })
  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<PushSubscriptionDto> {
    return this.subscriptions.remove(actor, id);
  }
}
