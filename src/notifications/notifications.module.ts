import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingModule } from '../booking/booking.module';
import { BotModule } from '../bot/bot.module';
import { AppConfig } from '../config/app-config';
import { GatewayModule } from '../gateway/gateway.module';
import { AdTemplatesApi } from './api/ad-templates.api';
import { NotificationSettingsApi } from './api/notification-settings.api';
import { PushSubscriptionsApi } from './api/push-subscriptions.api';
import { AdTemplatesController } from './ad-templates/ad-templates.controller';
import { AdTemplatesService } from './ad-templates/ad-templates.service';
import { BroadcastsApi } from './api/broadcasts.api';
import { BroadcastsController } from './broadcasts/broadcasts.controller';
import { BroadcastProgress } from './broadcasts/broadcast-progress';
import { BroadcastsService } from './broadcasts/broadcasts.service';
import { BroadcastProcessor } from './delivery/broadcast.processor';
import { QueuesDashboardApi } from './api/queues-dashboard.api';
import { DashboardSessions } from './dashboard/dashboard-sessions';
import { QueuesDashboardController } from './dashboard/queues-dashboard.controller';
import { DASHBOARD_ROUTE, QueuesDashboardGuard } from './dashboard/queues-dashboard.guard';
import { QueuesDashboardService } from './dashboard/queues-dashboard.service';
import { BroadcastPace } from './delivery/broadcast-pace';
import { ChatOrder } from './delivery/chat-order';
import { MessageDelivery } from './delivery/message-delivery';
import { NotificationComposer } from './delivery/notification-composer';
import { bullOptions, NOTIFICATION_QUEUES } from './delivery/notification-queues';
import { OutboxRelay } from './delivery/outbox-relay';
import { P2pProcessor } from './delivery/p2p.processor';
import { QueueErrors } from './delivery/queue-errors';
import { WebPushSender } from './delivery/web-push-sender';
import { AdTemplateEntity } from './entities/ad-template.entity';
import { NotificationSettingEntity } from './entities/notification-setting.entity';
import { PushSubscriptionEntity } from './entities/push-subscription.entity';
import { PushSubscriptionsController } from './push-subscriptions/push-subscriptions.controller';
import { PushEndpointPolicy } from './push-subscriptions/push-endpoint-policy';
import { PushSubscriptionsService } from './push-subscriptions/push-subscriptions.service';
import { NotificationSettingsController } from './settings/notification-settings.controller';
import { NotificationSettingsService } from './settings/notification-settings.service';

/**
 * Who is told what and where: notification settings, ad templates, Web Push subscriptions, and the
 * delivery of booking events (outbox -> BullMQ `p2p` -> Telegram, dead letters in `p2p-dead`), and
 * Bull Board over those queues at /admin/queues (admins only). Global: the bot's admin screens use
 * these contracts, and this module needs the bot (BotMessenger), so the bot cannot import it back.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationSettingEntity, AdTemplateEntity, PushSubscriptionEntity]),
    BullModule.forRootAsync({ inject: [AppConfig], useFactory: bullOptions }),
    BullModule.registerQueue(...NOTIFICATION_QUEUES.map((name) => ({ name }))),
    BullBoardModule.forRoot({ route: DASHBOARD_ROUTE, adapter: FastifyAdapter }),
    BullBoardModule.forFeature(...NOTIFICATION_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
    BookingModule,
    BotModule,
    GatewayModule,
  ],
  controllers: [
    NotificationSettingsController,
    AdTemplatesController,
    PushSubscriptionsController,
    BroadcastsController,
    QueuesDashboardController,
  ],
  providers: [
    { provide: NotificationSettingsApi, useClass: NotificationSettingsService },
    { provide: AdTemplatesApi, useClass: AdTemplatesService },
    { provide: PushSubscriptionsApi, useClass: PushSubscriptionsService },
    NotificationComposer,
    MessageDelivery,
    ChatOrder,
    BroadcastPace,
    OutboxRelay,
    P2pProcessor,
    BroadcastProcessor,
    { provide: BroadcastsApi, useClass: BroadcastsService },
    BroadcastProgress,
    QueueErrors,
    QueuesDashboardGuard,
    WebPushSender,
    PushEndpointPolicy,
    DashboardSessions,
    { provide: QueuesDashboardApi, useClass: QueuesDashboardService },
  ],
  exports: [NotificationSettingsApi, AdTemplatesApi, PushSubscriptionsApi, BroadcastsApi, QueuesDashboardApi],
})
export class NotificationsModule {}
