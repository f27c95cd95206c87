import { route } from '../../../api/callback-codec';

/** The periods My day shows. */
export const RANGES = ['today', 'tomorrow', 'week'] as const;
export type Range = (typeof RANGES)[number];

export const asRange = (word: string): Range =>
  (RANGES as readonly string[]).includes(word) ? (word as Range) : 'today';

/** The specialist's day: the range travels with every button so Back returns to the same list. */
export const MyDay = {
  /** range, page */
  list: route('sday', ['word', 'int']),
  /** booking, range */
  card: route('scard', ['id', 'word']),
  done: route('sdone', ['id', 'word']),
  noShow: route('snosh', ['id', 'word']),
  /** Cancel asks first; Yes asks for the reason the client will read. */
  cancelAsk: route('scask', ['id', 'word']),
  cancelReason: route('screa', ['id', 'word']),
};
