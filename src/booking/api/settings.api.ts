import type { Actor } from '../../common/actor';
import type { SettingsDto, UpdateSettingsDto } from './settings.dto';

/** Salon-wide booking rules; mirrors /api/v1/settings. Everyone reads them, only an admin changes them. */
export abstract class SettingsApi {
  abstract get(actor: Actor): Promise<SettingsDto>;
  abstract update(actor: Actor, dto: UpdateSettingsDto): Promise<SettingsDto>;
}
