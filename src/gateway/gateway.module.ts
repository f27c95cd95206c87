import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BookingModule } from '../booking/booking.module';
import { SessionsApi } from './api/sessions.api';
import { AuthGuard } from './auth/auth.guard';
import { SessionTokensService } from './auth/session-tokens.service';
import { OtpController } from './otp/otp.controller';
import { LogOtpSender, TelegramOtpSender } from './otp/otp-sender';
import { OtpService } from './otp/otp.service';
import { OtpStore } from './otp/otp.store';

/** The single entrance: REST authentication and public-client OTP login; the Telegram webhook pipeline comes with its issue. */
@Module({
  imports: [BookingModule],
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
  exports: [SessionsApi],
})
export class GatewayModule {}
