import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { QueuesDashboardApi, QueuesDashboardLinkDto } from '../api/queues-dashboard.api';

@ApiTags('queues-dashboard')
@ApiBearerAuth()
@Controller('api/v1/queues-dashboard')
export class QueuesDashboardController {
  constructor(private readonly dashboard: QueuesDashboardApi) {}

  /** Admins: a link that opens /admin/queues once, within 10 minutes, without putting a token in the address. */
  @ApiCreatedResponse({ type: QueuesDashboardLinkDto })
  @Post('login-links')
  createLoginLink(@CurrentActor() actor: Actor): Promise<QueuesDashboardLinkDto> {
    return this.dashboard.createLoginLink(actor);
  }
}
