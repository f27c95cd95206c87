import { route } from '../../../api/callback-codec';

/** Events, roles and channels travel as their index in the contract's lists (NOTIFICATION_EVENT_TYPES ...). */
export const Notifications = {
  events: route('nte', []),
  /** event */
  matrix: route('ntm', ['int']),
  /** event, role, channel */
  toggle: route('ntt', ['int', 'int', 'int']),
  /** event, role, channel, page */
  ads: route('nta', ['int', 'int', 'int', 'int']),
  /** event, role, channel, ad template (0: none) */
  setAd: route('nts', ['int', 'int', 'int', 'int']),
};
