import { route } from '../../../api/callback-codec';

/** A specialist's week per location: days, intervals (added, changed, removed), copying a day. */
export const AdminHours = {
  /** page */
  specialists: route('ahs', ['int']),
  /** specialist */
  locations: route('ahl', ['id']),
  /** specialist, location */
  week: route('ahw', ['id', 'id']),
  /** specialist, location, ISO weekday */
  day: route('ahd', ['id', 'id', 'int']),
  add: route('ahda', ['id', 'id', 'int']),
  /** specialist, location, interval */
  interval: route('ahi', ['id', 'id', 'id']),
  change: route('ahic', ['id', 'id', 'id']),
  remove: route('ahir', ['id', 'id', 'id']),
  /** specialist, location, source weekday, bit mask of the chosen target days (bit 0 = Monday) */
  copy: route('ahc', ['id', 'id', 'int', 'int']),
  copyApply: route('ahcy', ['id', 'id', 'int', 'int']),
};
