import { route } from '../../../api/callback-codec';

export const Report = {
  /** period (day | week | month), any local date in it */
  show: route('rep', ['word', 'date']),
};
