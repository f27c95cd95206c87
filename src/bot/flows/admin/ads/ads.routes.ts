import { route } from '../../../api/callback-codec';

export const Ads = {
  /** page */
  list: route('adl', ['int']),
  card: route('adc', ['id']),
  add: route('ada', []),
  /** template, field (name | ru | en) */
  edit: route('ade', ['id', 'word']),
  /** template, language: the ad appended to a sample notification, as a recipient sees it */
  preview: route('adp', ['id', 'word']),
  deactivateAsk: route('adx', ['id']),
  deactivate: route('ady', ['id']),
  activate: route('adon', ['id']),
};
