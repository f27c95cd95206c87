import { route } from '../../../api/callback-codec';

/** The admin's specialists: list, add (forward, contact, @username, id), locations, services, bio, deactivate. */
export const AdminSpecialists = {
  /** page */
  list: route('asp', ['int']),
  card: route('aspc', ['id']),
  add: route('aspa', []),
  locations: route('aspl', ['id']),
  /** specialist, location */
  toggleLocation: route('asplt', ['id', 'id']),
  /** specialist, page */
  services: route('asps', ['id', 'int']),
  /** specialist, service */
  toggleService: route('aspst', ['id', 'id']),
  /** specialist, service: own duration and price */
  service: route('aspsc', ['id', 'id']),
  /** specialist, service, minutes (0: the service's own) */
  serviceDuration: route('aspsd', ['id', 'id', 'int']),
  /** specialist, service: type an own price */
  servicePrice: route('aspsp', ['id', 'id']),
  /** specialist, service: back to the service's price */
  servicePriceReset: route('aspsq', ['id', 'id']),
  bio: route('aspb', ['id']),
  deactivateAsk: route('aspx', ['id']),
  deactivate: route('aspy', ['id']),
  activate: route('aspr', ['id']),
};
