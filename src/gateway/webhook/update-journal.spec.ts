import { streamIdAtMost } from './update-journal';

describe('streamIdAtMost', () => {
  it('orders Redis stream ids by milliseconds, then sequence, as numbers', () => {
    expect(streamIdAtMost('1700000000000-0', '1700000000000-0')).toBe(true);
    expect(streamIdAtMost('1700000000000-9', '1700000000000-10')).toBe(true);
    expect(streamIdAtMost('1700000000000-10', '1700000000000-9')).toBe(false);
    expect(streamIdAtMost('999999999999-5', '1000000000000-0')).toBe(true);
    expect(streamIdAtMost('1700000000001-0', '1700000000000-99')).toBe(false);
  });
});
