import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  AdTemplateDto,
  CreateAdTemplateDto,
  ListAdTemplatesQuery,
  UpdateAdTemplateDto,
} from './ad-templates.dto';

/** Mirrors /api/v1/ad-templates. Deleting deactivates: settings may still point at the template. Admin only. */
export abstract class AdTemplatesApi {
  abstract list(actor: Actor, query: ListAdTemplatesQuery): Promise<Page<AdTemplateDto>>;
  abstract get(actor: Actor, id: number): Promise<AdTemplateDto>;
  abstract create(actor: Actor, dto: CreateAdTemplateDto): Promise<AdTemplateDto>;
  abstract update(actor: Actor, id: number, dto: UpdateAdTemplateDto): Promise<AdTemplateDto>;
  abstract remove(actor: Actor, id: number): Promise<AdTemplateDto>;
}
