import { route } from '../../../api/callback-codec';

/** The admin's clients: the list (or what the typed search found), a card, block / unblock. */
export const Clients = {
  /** page */
  list: route('acl', ['int']),
  /** drops the search: every client again */
  all: route('aclall', []),
  card: route('aclc', ['id']),
  blockAsk: route('aclbq', ['id']),
  /** client, on | off */
  block: route('aclb', ['id', 'word']),
};
