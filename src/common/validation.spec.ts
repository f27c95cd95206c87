import { canonicalTimeZone } from './validation';

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['EUROPE/BERLIN', 'Europe/Berlin'],
    ['eUROPE/bERLIN', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'Etc/UTC'],
    ['etc/utc', 'UTC'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['etc/gmt-14', 'Etc/GMT-14'],
    ['america/new_york', 'America/New_York'],
    ['america/port-au-prince', 'America/Port-au-Prince'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['asia/kolkata', 'Asia/Calcutta'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalTimeZone(input)).toBe(expected);
  });

  it.each([
    'EST',
    'CET',
    'GMT',
    'UTC+3',
    '+01:00',
    'Mars/Base',
    'Europe/Berlin/x',
    ' Europe/Berlin',
    '',
    'a/'.repeat(40),
    42,
    null,
  ])('refuses %p', (input) => {
    expect(canonicalTimeZone(input)).toBeUndefined();
  });
});
