import { route } from '../../../api/callback-codec';

/** The chosen roles travel as a bit mask over RECIPIENT_ROLES (client 1, specialist 2, admin 4). */
export const Broadcast = {
  start: route('brn', []),
  /** roles */
  card: route('brc', ['int']),
  /** roles, the role to switch */
  role: route('brr', ['int', 'int']),
  /** roles */
  preview: route('brp', ['int']),
  sendAsk: route('brq', ['int']),
  send: route('bry', ['int']),
};
