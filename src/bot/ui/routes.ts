import { route } from '../api/callback-codec';

/**
 * Every inline button of the bot, by flow. Booking state travels in the data itself (location,
 * service, the specialist chosen or 0 for any, the start as a quarter-hour count since the epoch),
 * so navigation needs no scene and survives a restart.
 */
export const Nav = {
  home: route('h', []),
  /** A label-only button (a page counter, a day without times): answered with nothing. */
  noop: route('n', [], { anyMessage: true }),
};

export const Onboarding = {
  language: route('ol', ['word'], { anyMessage: true }),
};

export const Book = {
  locations: route('bl', ['int']),
  services: route('bs', ['id', 'int']),
  /** a specialist's locations (a spec_ deep link) */
  specialistLocations: route('bsl', ['id']),
  /** location, specialist, page: the services this specialist offers there */
  specialistServices: route('bss', ['id', 'id', 'int']),
  specialists: route('bp', ['id', 'id', 'int']),
  /** location, service, specialist (0 any), month */
  calendar: route('bc', ['id', 'id', 'int', 'month']),
  /** location, service, specialist (0 any), date, page */
  times: route('bt', ['id', 'id', 'int', 'date', 'int']),
  /** location, service, chosen (0 any), specialist, start quarter */
  card: route('bk', ['id', 'id', 'int', 'id', 'int']),
  comment: route('bkc', ['id', 'id', 'int', 'id', 'int']),
  confirm: route('bky', ['id', 'id', 'int', 'id', 'int']),
};

export const Move = {
  /** booking, specialist (0 any), month */
  calendar: route('rc', ['id', 'int', 'month']),
  specialists: route('rp', ['id']),
  times: route('rt', ['id', 'int', 'date', 'int']),
  /** booking, chosen (0 any), specialist, start quarter */
  card: route('rk', ['id', 'int', 'id', 'int']),
  confirm: route('ry', ['id', 'int', 'id', 'int']),
};

export const MyBookings = {
  /** tab (upcoming | past), page */
  list: route('mb', ['word', 'int']),
  card: route('mc', ['id']),
  cancelAsk: route('mx', ['id']),
  cancel: route('my', ['id']),
};

export const Profile = {
  show: route('pf', []),
  languages: route('pl', []),
  setLanguage: route('ps', ['word']),
  name: route('pn', []),
  phone: route('pp', []),
};

/** Start instants travel as quarter-hours since the epoch. */
export const toQuarter = (instant: Date | string): number =>
  Math.round(new Date(instant).getTime() / 900_000);
export const fromQuarter = (quarter: number): Date => new Date(quarter * 900_000);
