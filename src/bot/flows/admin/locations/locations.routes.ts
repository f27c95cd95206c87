import { route } from '../../../api/callback-codec';

/** The admin's locations: list, card, add and edit (typed in a scene), deactivate and reactivate. */
export const AdminLocations = {
  /** page */
  list: route('alo', ['int']),
  card: route('alc', ['id']),
  add: route('ala', []),
  /** index into COMMON_ZONES, for the location being added or edited */
  zone: route('alz', ['int']),
  /** location, field: name | address | zone */
  edit: route('ale', ['id', 'word']),
  deactivateAsk: route('alx', ['id']),
  deactivate: route('aly', ['id']),
  activate: route('alr', ['id']),
};
