import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BookingModule } from '../booking/booking.module';
import { BotModule } from '../bot/bot.module';
import { SessionsApi } from './api/sessions.api';
import { AuthGuard } from './auth/auth.guard';
import { TelegramWebhookModule } from './webhook/webhook.module';
import { SessionTokensService } from './auth/session-tokens.service';
import { OtpController } from './otp/otp.controller';
import { LogOtpSender, TelegramOtpSender } from './otp/otp-sender';
import { OtpService } from './otp/otp.service';
import { OtpStore } from './otp/otp.store';
import { SandboxModule } from './sandbox/sandbox.module';

/** The single entrance: the Telegram webhook pipeline, REST authentication and public-client OTP login. */
@Module({
  imports: [BookingModule, BotModule, TelegramWebhookModule, SandboxModule],
  controllers: [OtpController],
  providers: [
    SessionTokensService,
    { provide: SessionsApi, useExisting: SessionTokensService },
    { provide: APP_GUARD, useClass: AuthGuard },
    OtpStore,
    OtpService,
    TelegramOtpSender,
    LogOtpSender,
  ],
  exports: [SessionsApi, TelegramWebhookModule],
})
export class GatewayModule {}
