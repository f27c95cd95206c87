import { route } from '../../../api/callback-codec';

export const Queues = {
  show: route('qus', []),
  /** a new one-time login link, sent as its own message */
  link: route('qul', []),
};
