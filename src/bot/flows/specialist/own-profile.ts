import { SpecialistDto, SpecialistsApi } from '../../../booking/api';
import { DomainError, ErrorCode } from '../../../common/errors';
import type { TgUserContext } from '../../api/tg-user-context';
import { actorOf } from '../../core/bot-context';
import { BotError } from '../../core/bot-error';

/** The specialist's own profile; a specialist without one (the role given without a profile) is told to ask the salon. */
export async function ownProfile(specialists: SpecialistsApi, user: TgUserContext): Promise<SpecialistDto> {
  try {
    return await specialists.me(actorOf(user));
  } catch (err) {
    if (err instanceof DomainError && err.code === ErrorCode.NotFound) throw new BotError('spec.no_profile');
    throw err;
  }
}
