import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

import { PageQuery } from '../../common/pagination';
import { IsOmittable, IsId } from '../../common/validation';

export const NOTIFICATION_EVENT_TYPES = [
  'booking_created',
  'booking_confirmed',
  'booking_cancelled',
  'booking_rescheduled',
  'booking_done',
  'booking_reminder',
  'broadcast',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

export const RECIPIENT_ROLES = ['client', 'specialist', 'admin'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export const NOTIFICATION_CHANNELS = ['telegram', 'web_push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export class NotificationSettingDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: NOTIFICATION_EVENT_TYPES }) eventType: NotificationEventType;
  @ApiProperty({ enum: RECIPIENT_ROLES }) recipientRole: RecipientRole;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel: NotificationChannel;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'ad appended to the message' }) adTemplateId:
    number | null;
}

/** PUT body: the (eventType, recipientRole, channel) triple is the key; the row is created or replaced. */
export class UpsertNotificationSettingDto {
  @ApiProperty({ enum: NOTIFICATION_EVENT_TYPES })
  @IsIn(NOTIFICATION_EVENT_TYPES)
  eventType: NotificationEventType;

  @ApiProperty({ enum: RECIPIENT_ROLES })
  @IsIn(RECIPIENT_ROLES)
  recipientRole: RecipientRole;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS })
  @IsIn(NOTIFICATION_CHANNELS)
  channel: NotificationChannel;

  @ApiProperty()
  @IsBoolean()
  enabled: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'omitted or null: no ad' })
  @IsOptional()
  @IsId()
  adTemplateId?: number | null;
}

export class UpdateNotificationSettingDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null removes the ad' })
  @IsOptional()
  @IsId()
  adTemplateId?: number | null;
}

export class ListNotificationSettingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_EVENT_TYPES })
  @IsOptional()
  @IsIn(NOTIFICATION_EVENT_TYPES)
  eventType?: NotificationEventType;

  @ApiPropertyOptional({ enum: RECIPIENT_ROLES })
  @IsOptional()
  @IsIn(RECIPIENT_ROLES)
  recipientRole?: RecipientRole;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  channel?: NotificationChannel;
}
