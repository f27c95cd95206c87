import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type { AuthSubject, CreateUserDto, ListUsersQuery, TelegramIdentity, UpdateUserDto, UserDto } from './users.dto';

/** Users of every role; mirrors /api/v1/users. */
export abstract class UsersApi {
  abstract list(actor: Actor, query: ListUsersQuery): Promise<Page<UserDto>>;
  abstract get(actor: Actor, id: number): Promise<UserDto>;
  abstract me(actor: Actor): Promise<UserDto>;
  abstract create(actor: Actor, dto: CreateUserDto): Promise<UserDto>;
  abstract update(actor: Actor, id: number, dto: UpdateUserDto): Promise<UserDto>;
  /** Blocks the user (history such as bookings must stay). */
  abstract remove(actor: Actor, id: number): Promise<UserDto>;

  /** For the auth layers (bearer tokens, Telegram, OTP): not exposed over REST. */
  abstract authSubject(userId: number): Promise<AuthSubject | null>;
  abstract getOrCreateByTelegram(identity: TelegramIdentity): Promise<AuthSubject>;
  abstract findByPhone(phone: string): Promise<AuthSubject | null>;
  /** Creates the admin for this tg_id, or promotes the existing user; never a second user for one tg_id. */
  abstract ensureAdmin(tgId: number, name: string): Promise<AuthSubject>;
}
