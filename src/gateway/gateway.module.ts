import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BookingModule } from '../booking/booking.module';
import { SessionsApi } from './api/sessions.api';
import { AuthGuard } from './auth/auth.guard';
import { TelegramWebhookModule } from './webhook/webhook.module';
import { SessionTokensService } from './auth/session-tokens.service';

/** The single entrance: REST authentication now; the Telegram webhook pipeline and OTP come with their issue. */
@Module({
  imports: [BookingModule, TelegramWebhookModule],
  providers: [
    SessionTokensService,
    { provide: SessionsApi, useExisting: SessionTokensService },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [SessionsApi, TelegramWebhookModule],
})
export class GatewayModule {}
