import type { Logger } from '@nestjs/common';
import { quietWarnings } from './quiet-warnings';

describe('quietWarnings', () => {
  afterEach(() => jest.useRealTimers());

  it('says each text once per 30 s, and different texts each', () => {
    jest.useFakeTimers({ now: 0 });
    const said: string[] = [];
    const warn = quietWarnings({ warn: (text: string) => said.push(text) } as unknown as Logger);

    for (let i = 0; i <= 60; i++) {
      warn('queue p2p: connect ECONNREFUSED');
      jest.advanceTimersByTime(500);
    }
    warn('queue p2p: Connection is closed.');

    expect(said).toEqual([
      'queue p2p: connect ECONNREFUSED',
      'queue p2p: connect ECONNREFUSED',
      'queue p2p: Connection is closed.',
    ]);
  });
});
