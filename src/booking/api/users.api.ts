import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  AuthSubject,
  CreateUserDto,
  ListUsersQuery,
  NewPhoneUser,
  TelegramIdentity,
  UpdateUserDto,
  UserDto,
} from './users.dto';

/** Users of every role; mirrors /api/v1/users. */
export abstract class UsersApi {
  abstract list(actor: Actor, query: ListUsersQuery): Promise<Page<UserDto>>;
  /** Admin: anyone; a specialist: themselves and the clients booked with them; a client: themselves. */
  abstract get(actor: Actor, id: number): Promise<UserDto>;
  abstract me(actor: Actor): Promise<UserDto>;
  abstract create(actor: Actor, dto: CreateUserDto): Promise<UserDto>;
  abstract update(actor: Actor, id: number, dto: UpdateUserDto): Promise<UserDto>;
  /** Blocks the user (history such as bookings must stay). */
  abstract remove(actor: Actor, id: number): Promise<UserDto>;

  /** For the auth layers (bearer tokens, Telegram, OTP): not exposed over REST. */
  abstract authSubject(userId: number): Promise<AuthSubject | null>;
  abstract getOrCreateByTelegram(identity: TelegramIdentity): Promise<AuthSubject>;
  /** The user who proved this phone, if any (an unproven copy of it says nothing about its owner). */
  abstract findByPhone(phone: string): Promise<AuthSubject | null>;
  /**
   * The phone is proven to be this user's (a one-time code to it, or a Telegram contact whose user_id is
   * the sender). Clients without Telegram holding it (entered by an admin, or signed up by code) are
   * merged in: their bookings move to this user. Every other user's copy of the phone is dropped.
   */
  abstract attachVerifiedPhone(userId: number, phone: string): Promise<UserDto>;
  /**
   * Whom a proven phone logs in as: the user who proved it; else the oldest user without Telegram an
   * admin entered with it (now proven); else a new client with it.
   */
  abstract userForVerifiedPhone(phone: string, newUser: NewPhoneUser): Promise<AuthSubject>;
  /** Creates the admin for this tg_id, or promotes the existing user; never a second user for one tg_id. */
  abstract ensureAdmin(tgId: number, name: string): Promise<AuthSubject>;
}
