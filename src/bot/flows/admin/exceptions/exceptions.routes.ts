import { route } from '../../../api/callback-codec';

/**
 * Exceptions and closures. A pending exception travels in the data: specialist (0: the whole
 * location), location, date, and the custom hours (0, 0: a day off).
 */
export const AdminExceptions = {
  /** page of the coming exceptions */
  list: route('aex', ['int']),
  card: route('aexc', ['id']),
  remove: route('aexr', ['id']),
  /** page: whose day off or hours */
  specialists: route('aexs', ['int']),
  /** specialist: at which of their locations */
  specialistLocations: route('aexsl', ['id']),
  /** page: which location closes */
  locations: route('aexl', ['int']),
  /** specialist (0: location), location: type the date */
  date: route('aexd', ['int', 'id']),
  /** specialist, location, date: day off or custom hours */
  kind: route('aexk', ['id', 'id', 'date']),
  hours: route('aexh', ['id', 'id', 'date']),
  /** specialist (0: location), location, date, start, end: the bookings it collides with */
  preview: route('aexp', ['int', 'id', 'date', 'int', 'int']),
  save: route('aexy', ['int', 'id', 'date', 'int', 'int']),
  notify: route('aexn', ['int', 'id', 'date', 'int', 'int']),
};
