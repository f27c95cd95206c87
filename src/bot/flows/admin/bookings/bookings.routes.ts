import { route } from '../../../api/callback-codec';

/** Where a booking card's Back leads: the day list, Today, Pending or the client's card. */
export const ORIGINS = ['day', 'today', 'pend', 'client'] as const;
export type Origin = (typeof ORIGINS)[number];
export const originOf = (word: string): Origin =>
  (ORIGINS as readonly string[]).includes(word) ? (word as Origin) : 'day';

/** The admin's bookings: by day and specialist, a card with every action on a booking. */
export const AdminBookings = {
  /** location, date, specialist (0 all), page */
  day: route('abkday', ['id', 'date', 'int', 'int']),
  /** location shown, date: another location to show the date for */
  locations: route('abkloc', ['id', 'date']),
  /** location, date: the specialist to show it for */
  specialists: route('abkspc', ['id', 'date']),
  /** booking, origin */
  card: route('abkc', ['id', 'word']),
  confirm: route('abkok', ['id', 'word']),
  /** booking, origin: asks for the reason sent to the client */
  cancelAsk: route('abkx', ['id', 'word']),
  cancel: route('abkxy', ['id', 'word']),
  /** booking, done | no_show, origin */
  mark: route('abkm', ['id', 'word', 'word']),
};

/** Moving a booking as the admin: the client's calendar and times, the admin's way back. */
export const AdminMove = {
  specialists: route('abmp', ['id']),
  /** booking, specialist (0 any), month */
  calendar: route('abmc', ['id', 'int', 'month']),
  times: route('abmt', ['id', 'int', 'date', 'int']),
  /** booking, chosen (0 any), specialist, start quarter */
  card: route('abmk', ['id', 'int', 'id', 'int']),
  confirm: route('abmy', ['id', 'int', 'id', 'int']),
};

/**
 * Booking for a client: find the client (or type a new one), then the client's steps. The client
 * travels as a user id, or 0 for the new client typed in this chat (kept in its scene).
 */
export const AdminNew = {
  start: route('abn', []),
  /** page of the clients found */
  found: route('abnf', ['int']),
  newClient: route('abnn', []),
  /** client, page */
  locations: route('abnl', ['int', 'int']),
  /** client, location, page */
  services: route('abns', ['int', 'id', 'int']),
  /** client, location, service, page */
  specialists: route('abnp', ['int', 'id', 'id', 'int']),
  /** client, location, service, specialist (0 any), month */
  calendar: route('abnc', ['int', 'id', 'id', 'int', 'month']),
  /** client, location, service, specialist (0 any), date, page */
  times: route('abnt', ['int', 'id', 'id', 'int', 'date', 'int']),
  /** client, location, service, chosen (0 any), specialist, start quarter */
  card: route('abnk', ['int', 'id', 'id', 'int', 'id', 'int']),
  confirm: route('abny', ['int', 'id', 'id', 'int', 'id', 'int']),
};
