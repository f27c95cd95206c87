import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { BookingModule } from '../../booking/booking.module';
import { BotModule } from '../../bot/bot.module';
import { TelegramGateway } from '../api/telegram-gateway.api';
import { TelegramGatewayService } from './telegram-gateway.service';
import { TgUserContexts } from './tg-user-contexts';
import { UpdateAudit } from './update-audit';
import { UpdateJournal } from './update-journal';
import { UpdateSources, WEBHOOK_PATH } from './update-sources';
import { WebhookController, WebhookSecretMiddleware } from './webhook.controller';
import { WebhookRedis } from './webhook-redis';

/** The Telegram update pipeline (webhook, long polling, sandbox) in front of the bot. */
@Module({
  imports: [BookingModule, BotModule],
  controllers: [WebhookController],
  providers: [
    WebhookRedis,
    UpdateJournal,
    TgUserContexts,
    UpdateAudit,
    UpdateSources,
    TelegramGatewayService,
    { provide: TelegramGateway, useExisting: TelegramGatewayService },
  ],
  exports: [TelegramGateway],
})
export class TelegramWebhookModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WebhookSecretMiddleware).forRoutes({ path: WEBHOOK_PATH, method: RequestMethod.POST });
  }
}
