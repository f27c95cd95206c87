import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdTemplatesApi } from './api/ad-templates.api';
import { NotificationSettingsApi } from './api/notification-settings.api';
import { PushSubscriptionsApi } from './api/push-subscriptions.api';
import { AdTemplatesController } from './ad-templates/ad-templates.controller';
import { AdTemplatesService } from './ad-templates/ad-templates.service';
import { AdTemplateEntity } from './entities/ad-template.entity';
import { NotificationSettingEntity } from './entities/notification-setting.entity';
import { PushSubscriptionEntity } from './entities/push-subscription.entity';
import { PushSubscriptionsController } from './push-subscriptions/push-subscriptions.controller';
import { PushSubscriptionsService } from './push-subscriptions/push-subscriptions.service';
import { NotificationSettingsController } from './settings/notification-settings.controller';
import { NotificationSettingsService } from './settings/notification-settings.service';

/** Who is told what and where: notification settings, ad templates and Web Push subscriptions. */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationSettingEntity, AdTemplateEntity, PushSubscriptionEntity])],
  controllers: [NotificationSettingsController, AdTemplatesController, PushSubscriptionsController],
  providers: [
    { provide: NotificationSettingsApi, useClass: NotificationSettingsService },
    { provide: AdTemplatesApi, useClass: AdTemplatesService },
    { provide: PushSubscriptionsApi, useClass: PushSubscriptionsService },
  ],
  exports: [NotificationSettingsApi, AdTemplatesApi, PushSubscriptionsApi],
})
export class NotificationsModule {}
