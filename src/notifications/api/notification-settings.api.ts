import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  ListNotificationSettingsQuery,
  NotificationSettingDto,
  UpdateNotificationSettingDto,
  UpsertNotificationSettingDto,
} from './notification-settings.dto';

/** Mirrors /api/v1/notification-settings: which event reaches which role on which channel. Admin only. */
export abstract class NotificationSettingsApi {
  abstract list(actor: Actor, query: ListNotificationSettingsQuery): Promise<Page<NotificationSettingDto>>;
  abstract get(actor: Actor, id: number): Promise<NotificationSettingDto>;
  /** Creates or replaces the row for (eventType, recipientRole, channel). */
  abstract upsert(actor: Actor, dto: UpsertNotificationSettingDto): Promise<NotificationSettingDto>;
  abstract update(
    actor: Actor,
    id: number,
    dto: UpdateNotificationSettingDto,
  ): Promise<NotificationSettingDto>;
  abstract remove(actor: Actor, id: number): Promise<NotificationSettingDto>;
}
