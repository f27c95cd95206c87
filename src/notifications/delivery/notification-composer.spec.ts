import { NOTIFICATION_TEXT_KEYS } from './notification-composer';

describe('notification texts', () => {
  it('has every key in both catalogs', () => {
    expect([...NOTIFICATION_TEXT_KEYS.en].sort()).toEqual([...NOTIFICATION_TEXT_KEYS.ru].sort());
  });
});
