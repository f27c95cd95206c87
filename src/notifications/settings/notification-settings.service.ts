import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { isUniqueViolation } from '../../infra/database/constraints';
import { NotificationSettingsApi } from '../api/notification-settings.api';
import {
  ListNotificationSettingsQuery,
  NotificationChannel,
  NotificationEventType,
  NotificationSettingDto,
  RecipientRole,
  UpdateNotificationSettingDto,
  UpsertNotificationSettingDto,
} from '../api/notification-settings.dto';
import { AdTemplateEntity } from '../entities/ad-template.entity';
import { NotificationSettingEntity } from '../entities/notification-setting.entity';

export function toNotificationSettingDto(s: NotificationSettingEntity): NotificationSettingDto {
  return {
    id: s.id,
    eventType: s.eventType as NotificationEventType,
    recipientRole: s.recipientRole as RecipientRole,
    channel: s.channel as NotificationChannel,
    enabled: s.enabled,
    adTemplateId: s.adTemplateId,
  };
}

@Injectable()
export class NotificationSettingsService extends NotificationSettingsApi {
  constructor(
    @InjectRepository(NotificationSettingEntity)
    private readonly settings: Repository<NotificationSettingEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  async list(actor: Actor, query: ListNotificationSettingsQuery): Promise<Page<NotificationSettingDto>> {
    authorize(actor, 'notification_setting', 'read');
    const { take, skip } = pageOf(query);
    const [rows, total] = await this.settings.findAndCount({
      where: { eventType: query.eventType, recipientRole: query.recipientRole, channel: query.channel },
      order: { id: 'ASC' },
      take,
      skip,
    });
    return { items: rows.map(toNotificationSettingDto), total, limit: take, offset: skip };
  }

  async get(actor: Actor, id: number): Promise<NotificationSettingDto> {
    authorize(actor, 'notification_setting', 'read');
    const setting = await this.settings.findOneBy({ id });
    if (!setting) throw DomainError.notFound('notification setting', id);
    return toNotificationSettingDto(setting);
  }

  async upsert(actor: Actor, dto: UpsertNotificationSettingDto): Promise<NotificationSettingDto> {
    authorize(actor, 'notification_setting', 'write');
    const attempt = () =>
      this.uow.run(async (em) => {
        await this.assertTemplateExists(em, dto.adTemplateId);
        const key = { eventType: dto.eventType, recipientRole: dto.recipientRole, channel: dto.channel };
        const existing = await em.findOneBy(NotificationSettingEntity, key);
        const setting = existing ?? em.create(NotificationSettingEntity, key);
        setting.enabled = dto.enabled;
        setting.adTemplateId = dto.adTemplateId ?? null;
        await em.save(NotificationSettingEntity, setting);
        await this.audit.record(em, actor, {
          action: existing ? 'notification_setting.update' : 'notification_setting.create',
          entity: 'notification_setting',
          entityId: setting.id,
          changes: dto,
        });
        return toNotificationSettingDto(setting);
      });
    try {
      return await attempt();
    } catch (err) {
      // PostgreSQL: a concurrent PUT inserted the same triple first; the second try updates it.
      if (isUniqueViolation(err)) return attempt();
      throw err;
    }
  }

  async update(actor: Actor, id: number, dto: UpdateNotificationSettingDto): Promise<NotificationSettingDto> {
    authorize(actor, 'notification_setting', 'write');
    return this.uow.run(async (em) => {
      const setting = await em.findOneBy(NotificationSettingEntity, { id });
      if (!setting) throw DomainError.notFound('notification setting', id);
      await this.assertTemplateExists(em, dto.adTemplateId);
      if (dto.enabled !== undefined) setting.enabled = dto.enabled;
      if (dto.adTemplateId !== undefined) setting.adTemplateId = dto.adTemplateId;
      await em.save(NotificationSettingEntity, setting);
      await this.audit.record(em, actor, {
        action: 'notification_setting.update',
        entity: 'notification_setting',
        entityId: id,
        changes: dto,
      });
      return toNotificationSettingDto(setting);
    });
  }

  async remove(actor: Actor, id: number): Promise<NotificationSettingDto> {
    authorize(actor, 'notification_setting', 'write');
    return this.uow.run(async (em) => {
      const setting = await em.findOneBy(NotificationSettingEntity, { id });
      if (!setting) throw DomainError.notFound('notification setting', id);
      const dto = toNotificationSettingDto(setting);
      await em.delete(NotificationSettingEntity, { id });
      await this.audit.record(em, actor, {
        action: 'notification_setting.delete',
        entity: 'notification_setting',
        entityId: id,
        changes: { eventType: dto.eventType, recipientRole: dto.recipientRole, channel: dto.channel },
      });
      return dto;
    });
  }

  private async assertTemplateExists(em: EntityManager, id: number | null | undefined): Promise<void> {
    if (id == null) return;
    if (!(await em.existsBy(AdTemplateEntity, { id }))) throw DomainError.notFound('ad template', id);
  }
}
