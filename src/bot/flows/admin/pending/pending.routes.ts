import { route } from '../../../api/callback-codec';

/** Bookings waiting for the admin's confirmation. */
export const Pending = {
  /** page */
  list: route('apn', ['int']),
};
