import { route } from '../../../api/callback-codec';
import { ROLES, type Role } from '../../../../common/actor';

export const asRole = (word: string): Role | undefined =>
  (ROLES as readonly string[]).includes(word) ? (word as Role) : undefined;

export const Roles = {
  /** the staff (admins, then specialists), page */
  list: route('rls', ['int']),
  /** the prompt to find someone by name, phone or Telegram id */
  find: route('rlf', []),
  user: route('rlu', ['id']),
  /** user, target role: asks first */
  ask: route('rla', ['id', 'word']),
  set: route('rly', ['id', 'word']),
};
