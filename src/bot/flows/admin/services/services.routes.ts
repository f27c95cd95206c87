import { route } from '../../../api/callback-codec';

/** The admin's services: list, card, add and edit (typed or chosen in a scene), deactivate and reactivate. */
export const AdminServices = {
  /** page */
  list: route('asv', ['int']),
  card: route('asc', ['id']),
  add: route('asa', []),
  /** minutes chosen for the service being added or edited */
  duration: route('asd', ['int']),
  /** service, field: name | duration | price */
  edit: route('ase', ['id', 'word']),
  deactivateAsk: route('asx', ['id']),
  deactivate: route('asy', ['id']),
  activate: route('asr', ['id']),
};
