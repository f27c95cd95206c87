import { Module } from '@nestjs/common';
import { BookingModule } from '../../booking/booking.module';
import { BotModule } from '../../bot/bot.module';
import { TelegramGateway } from '../api/telegram-gateway.api';
import { PartitionLeases } from './partition-leases';
import { TelegramGatewayService } from './telegram-gateway.service';
import { TgUserContexts } from './tg-user-contexts';
import { UpdateAudit } from './update-audit';
import { UpdateJournal } from './update-journal';
import { UpdateSources } from './update-sources';
import { WebhookRedis } from './webhook-redis';
import { WebhookRoute } from './webhook.route';

/** The Telegram update pipeline (webhook, long polling, sandbox) in front of the bot. */
@Module({
  imports: [BookingModule, BotModule],
  providers: [
    WebhookRedis,
    UpdateJournal,
    PartitionLeases,
    TgUserContexts,
    UpdateAudit,
    UpdateSources,
    TelegramGatewayService,
    WebhookRoute,
    { provide: TelegramGateway, useExisting: TelegramGatewayService },
  ],
  exports: [TelegramGateway],
})
export class TelegramWebhookModule {}
