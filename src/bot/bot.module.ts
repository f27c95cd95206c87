import { Module } from '@nestjs/common';
import { TelegrafModule } from 'nestjs-telegraf';
import { UpdateRouter } from './core/update-router';
import { BookingModule } from '../booking/booking.module';
import { AppConfig } from '../config/app-config';
import { BotMessenger } from './api/bot-messenger.api';
import { BotTransport } from './api/bot-transport.api';
import { BotUpdates } from './api/bot-updates.api';
import { BotCommands } from './core/bot-commands';
import { BotErrorFilter } from './core/bot-error.filter';
import { callbackAnswers } from './core/callback-answers';
import { RolesGuard } from './core/roles.guard';
import { StaleMenus } from './core/stale-menus';
import { AdminDesk } from './flows/admin/bookings/admin-desk';
import { AdminMoveUpdate } from './flows/admin/bookings/booking-move.update';
import { AdminNewBookingUpdate } from './flows/admin/bookings/booking-new.update';
import { AdminBookingsUpdate } from './flows/admin/bookings/bookings.update';
import { ClientsUpdate } from './flows/admin/clients/clients.update';
import { CompletionUpdate } from './flows/admin/completion.update';
import { RolesUpdate } from './flows/admin/roles/roles.update';
import { SettingsUpdate } from './flows/admin/settings/settings.update';
import { PendingUpdate } from './flows/admin/pending/pending.update';
import { TodayUpdate } from './flows/admin/today/today.update';
import { AdsUpdate } from './flows/admin/ads/ads.update';
import { AuditUpdate } from './flows/admin/audit/audit.update';
import { BroadcastWatcher } from './flows/admin/broadcast/broadcast-watcher';
import { BroadcastUpdate } from './flows/admin/broadcast/broadcast.update';
import { NotificationsUpdate } from './flows/admin/notifications/notifications.update';
import { QueuesUpdate } from './flows/admin/queues/queues.update';
import { ReportUpdate } from './flows/admin/report/report.update';
import { AdminExceptionsUpdate } from './flows/admin/exceptions/exceptions.update';
import { AdminHoursUpdate } from './flows/admin/hours/hours.update';
import { AdminLocationsUpdate } from './flows/admin/locations/locations.update';
import { AdminServicesUpdate } from './flows/admin/services/services.update';
import { AdminSpecialistsUpdate } from './flows/admin/specialists/specialists.update';
import { BookingCalendar } from './flows/client/booking/booking-calendar';
import { BookingMoveSteps } from './flows/client/booking/booking-move';
import { BookingUpdate } from './flows/client/booking/booking.update';
import { SalonCatalog } from './flows/client/booking/salon-catalog';
import { MyBookingsUpdate } from './flows/client/my-bookings/my-bookings.update';
import { RescheduleUpdate } from './flows/client/my-bookings/reschedule.update';
import { ChatUpdate } from './flows/common/chat.update';
import { ProfileUpdate } from './flows/common/profile.update';
import { MyDayUpdate } from './flows/specialist/my-day/my-day.update';
import { MyHoursUpdate } from './flows/specialist/my-hours/my-hours.update';
import { BotInternalsModule } from './telegram/bot-internals.module';
import { SANDBOX_TOKEN } from './telegram/sandbox-recorder';
import { TelegramCalls } from './telegram/telegram-calls';
import {
  BotMessengerService,
  BotTransportService,
  BotUpdatesService,
} from './telegram/bot-telegram.services';
import { TgUserContextStore } from './telegram/tg-user-context.store';

/**
 * The Telegram UI. Telegraf never launches by itself: updates arrive only through `BotUpdates`
 * (fed by the gateway), and without BOT_TOKEN every Bot API call is recorded by the sandbox.
 * Before any handler: the user (from the gateway), one answer per button press, and the stale-menu check.
 */
@Module({
  imports: [
    TelegrafModule.forRootAsync({
      imports: [BotInternalsModule],
      inject: [AppConfig, TgUserContextStore, TelegramCalls, StaleMenus],
      useFactory: (
        config: AppConfig,
        store: TgUserContextStore,
        calls: TelegramCalls,
        stale: StaleMenus,
      ) => ({
        token: config.telegram.token ?? SANDBOX_TOKEN,
        launchOptions: false,
        options: {
          telegram: { apiRoot: config.telegram.apiRoot, webhookReply: false },
          // No timer per update: the gateway bounds handlers with one watchdog (TG_HANDLER_TIMEOUT_SECONDS).
          handlerTimeout: Infinity,
          contextType: calls.contextType(),
        },
        middlewares: [store.middleware(), callbackAnswers(), stale.middleware()],
      }),
    }),
    BotInternalsModule,
    BookingModule,
  ],
  providers: [
    UpdateRouter,
    BotErrorFilter,
    RolesGuard,
    BotCommands,
    SalonCatalog,
    BookingCalendar,
    BookingMoveSteps,
    BookingUpdate,
    RescheduleUpdate,
    MyBookingsUpdate,
    ProfileUpdate,
    CompletionUpdate,
    MyDayUpdate,
    MyHoursUpdate,
    RolesUpdate,
    SettingsUpdate,
    AdminDesk,
    TodayUpdate,
    AdminBookingsUpdate,
    AdminMoveUpdate,
    AdminNewBookingUpdate,
    PendingUpdate,
    ClientsUpdate,
    NotificationsUpdate,
    AdsUpdate,
    BroadcastWatcher,
    BroadcastUpdate,
    QueuesUpdate,
    AuditUpdate,
    ReportUpdate,
    AdminLocationsUpdate,
    AdminServicesUpdate,
    AdminSpecialistsUpdate,
    AdminHoursUpdate,
    AdminExceptionsUpdate,
    // Last: its catch-all text and message handlers come after every other flow's.
    ChatUpdate,
    BotUpdatesService,
    BotMessengerService,
    BotTransportService,
    { provide: BotUpdates, useExisting: BotUpdatesService },
    { provide: BotMessenger, useExisting: BotMessengerService },
    { provide: BotTransport, useExisting: BotTransportService },
  ],
  exports: [BotUpdates, BotMessenger, BotTransport, BotInternalsModule],
})
export class BotModule {}
