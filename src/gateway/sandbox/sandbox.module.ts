import { Module } from '@nestjs/common';
import { BookingModule } from '../../booking/booking.module';
import { BotModule } from '../../bot/bot.module';
import { TelegramWebhookModule } from '../webhook/webhook.module';
import { DemoSalonRunner } from './demo-salon-runner';
import { SandboxAccessGuard } from './sandbox-access.guard';
import { SandboxController } from './sandbox.controller';
import { SandboxPage } from './sandbox-page';
import { SandboxService } from './sandbox.service';

/** The /sandbox chat page: the bot without Telegram, fed through the same gateway pipeline. */
@Module({
  imports: [BookingModule, BotModule, TelegramWebhookModule],
  controllers: [SandboxController],
  providers: [SandboxService, SandboxAccessGuard, SandboxPage, DemoSalonRunner],
})
export class SandboxModule {}
