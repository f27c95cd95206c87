import { route } from '../../../api/callback-codec';

export const Audit = {
  /** entity filter (index into AUDIT_ENTITIES, 0 = all), page */
  list: route('aul', ['int', 'int']),
  /** entity filter, page: the filter choice */
  filters: route('auf', ['int', 'int']),
};
