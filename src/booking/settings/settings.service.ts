import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { authorize } from '../../common/access-policy';
import { Actor } from '../../common/actor';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { SettingsApi } from '../api/settings.api';
import { SettingsDto, UpdateSettingsDto } from '../api/settings.dto';
import { CatalogCache, CatalogSettings } from '../catalog/catalog-cache';
import { BusinessSettingsEntity } from '../entities/business-settings.entity';
import { LocationEntity } from '../entities/location.entity';

const SETTINGS_ID = 1;
/** Same defaults as the migrations' seed row and column defaults. */
const DEFAULTS = {
  minNoticeMin: 60,
  horizonDays: 60,
  cancellationCutoffMin: 120,
  autoConfirm: true,
  defaultLanguage: 'ru' as const,
  currency: 'EUR',
};

/** The settings row in the caller's transaction; the migration seeds it, and it is recreated with the defaults if someone deleted it. */
export async function loadSettings(em: EntityManager): Promise<BusinessSettingsEntity> {
  const row = await em.findOneBy(BusinessSettingsEntity, { id: SETTINGS_ID });
  if (row) return row;
  await em.insert(BusinessSettingsEntity, { id: SETTINGS_ID, ...DEFAULTS });
  return em.findOneByOrFail(BusinessSettingsEntity, { id: SETTINGS_ID });
}

function toSettingsDto(s: CatalogSettings): SettingsDto {
  return {
    minNoticeMin: s.minNoticeMin,
    horizonDays: s.horizonDays,
    cancellationCutoffMin: s.cancellationCutoffMin,
    autoConfirm: s.autoConfirm,
    defaultLanguage: s.defaultLanguage,
    currency: s.currency,
    updatedAt: s.updatedAt.toISOString(),
  };
}

@Injectable()
export class SettingsService extends SettingsApi {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
    private readonly catalog: CatalogCache,
  ) {
    super();
  }

  async get(actor: Actor): Promise<SettingsDto> {
    authorize(actor, 'settings', 'read');
    const row = (await this.catalog.snapshot()).settings;
    if (row) return toSettingsDto(row);
    // The migration seeds the row; recreate it with the same defaults if someone deleted it by hand.
    const created = await this.uow.run(loadSettings);
    await this.catalog.changed();
    return toSettingsDto(created);
  }

  async update(actor: Actor, dto: UpdateSettingsDto): Promise<SettingsDto> {
    authorize(actor, 'settings', 'write');
    const { row, gridChanged, locationIds } = await this.uow.run(async (em) => {
      const row = await loadSettings(em);
      const gridChanged =
        (dto.minNoticeMin !== undefined && dto.minNoticeMin !== row.minNoticeMin) ||
        (dto.horizonDays !== undefined && dto.horizonDays !== row.horizonDays);
      Object.assign(row, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await em.save(BusinessSettingsEntity, row);
      await this.audit.record(em, actor, {
        action: 'settings.update',
        entity: 'settings',
        entityId: SETTINGS_ID,
        changes: dto,
      });
      const locationIds = gridChanged
        ? (await em.find(LocationEntity, { select: { id: true } })).map((l) => l.id)
        : [];
      return { row, gridChanged, locationIds };
    });
    await this.catalog.changed();
    // Notice and horizon decide which starts are offered, so every cached availability is stale.
    if (gridChanged) {
      for (const locationId of locationIds)
        await this.events.emit('location.availability_changed', { locationId });
    }
    return toSettingsDto(row);
  }
}
