import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { AdTemplatesApi } from '../api/ad-templates.api';
import {
  AdTemplateDto,
  CreateAdTemplateDto,
  ListAdTemplatesQuery,
  UpdateAdTemplateDto,
} from '../api/ad-templates.dto';
import { AdTemplateEntity } from '../entities/ad-template.entity';

export function toAdTemplateDto(a: AdTemplateEntity): AdTemplateDto {
  return {
    id: a.id,
    name: a.name,
    textRu: a.textRu,
    textEn: a.textEn,
    active: a.active,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

@Injectable()
export class AdTemplatesService extends AdTemplatesApi {
  constructor(
    @InjectRepository(AdTemplateEntity) private readonly templates: Repository<AdTemplateEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  async list(actor: Actor, query: ListAdTemplatesQuery): Promise<Page<AdTemplateDto>> {
    authorize(actor, 'ad_template', 'read');
    const { take, skip } = pageOf(query);
    const active = query.active === undefined ? undefined : query.active === 'true';
    const [rows, total] = await this.templates.findAndCount({
      where: { active },
      order: { id: 'ASC' },
      take,
      skip,
    });
    return { items: rows.map(toAdTemplateDto), total, limit: take, offset: skip };
  }

  async get(actor: Actor, id: number): Promise<AdTemplateDto> {
    authorize(actor, 'ad_template', 'read');
    const template = await this.templates.findOneBy({ id });
    if (!template) throw DomainError.notFound('ad template', id);
    return toAdTemplateDto(template);
  }

  async create(actor: Actor, dto: CreateAdTemplateDto): Promise<AdTemplateDto> {
    authorize(actor, 'ad_template', 'write');
    return this.uow.run(async (em) => {
      const template = await em.save(AdTemplateEntity, em.create(AdTemplateEntity, { active: true, ...dto }));
      await this.audit.record(em, actor, {
        action: 'ad_template.create',
        entity: 'ad_template',
        entityId: template.id,
        changes: dto,
      });
      // Re-read so the timestamps are the ones the database stored.
      return toAdTemplateDto(await em.findOneByOrFail(AdTemplateEntity, { id: template.id }));
    });
  }

  update(actor: Actor, id: number, dto: UpdateAdTemplateDto): Promise<AdTemplateDto> {
    return this.change(actor, id, dto, 'ad_template.update');
  }

  remove(actor: Actor, id: number): Promise<AdTemplateDto> {
    return this.change(actor, id, { active: false }, 'ad_template.deactivate');
  }

  private async change(
    actor: Actor,
    id: number,
    dto: UpdateAdTemplateDto,
    action: string,
  ): Promise<AdTemplateDto> {
    authorize(actor, 'ad_template', 'write');
    return this.uow.run(async (em) => {
      const template = await em.findOneBy(AdTemplateEntity, { id });
      if (!template) throw DomainError.notFound('ad template', id);
      Object.assign(template, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await em.save(AdTemplateEntity, template);
      await this.audit.record(em, actor, { action, entity: 'ad_template', entityId: id, changes: dto });
      return toAdTemplateDto(await em.findOneByOrFail(AdTemplateEntity, { id }));
    });
  }
}
