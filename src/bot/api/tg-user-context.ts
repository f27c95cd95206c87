import type { Role } from '../../common/actor';
import type { Language } from '../../booking/api/users.dto';

/** Who sent a Telegram update, as the gateway established it; the bot reads it from `ctx.state.user`. */
export interface TgUserContext {
  userId: number;
  tgId: number;
  /** The chat to answer in (the user's own id for updates without a chat, e.g. inline queries). */
  chatId: number;
  role: Role;
  lang: Language;
  clientType: 'internal';
  /** The update id: the same value every log line and audit row of this update carries. */
  traceId: string;
  /**
   * This process's unbroken hold on the chat, as an opaque token: two updates with the same token had
   * no other process handle the chat between them (the gateway gives a chat's updates to the one
   * instance holding its partition, one at a time), so the bot may trust what it remembers of the chat
   * from the first. Absent: nothing remembered is trusted.
   */
  custody?: string;
}
