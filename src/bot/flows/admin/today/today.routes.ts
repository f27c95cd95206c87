import { route } from '../../../api/callback-codec';

/** The admin's Today dashboard. */
export const Today = {
  /** The locations to choose from (several active ones). */
  locations: route('tdyloc', []),
  /** location, page of today's bookings */
  show: route('tdy', ['id', 'int']),
};
