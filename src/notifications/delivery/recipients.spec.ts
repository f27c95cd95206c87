import { recipientRoles } from './recipients';

describe('recipientRoles (who hears of each event, by initiator)', () => {
  it.each([
    ['booking_created', 'client', ['client', 'specialist', 'admin']],
    ['booking_created', 'admin', ['client', 'specialist']],
    ['booking_cancelled', 'client', ['specialist', 'admin']],
    ['booking_cancelled', 'admin', ['client', 'specialist']],
    ['booking_cancelled', 'specialist', ['client', 'admin']],
    ['booking_rescheduled', 'admin', ['client', 'specialist']],
  ] as const)('%s by %s tells %j', (event, initiator, expected) => {
    expect(recipientRoles(event, initiator)).toEqual(expected);
  });

  it('a specialist booking for a client tells the client and the admins', () => {
    expect(recipientRoles('booking_created', 'specialist')).toEqual(['client', 'admin']);
  });

  it('booking_done (the completion checker) asks the admins only', () => {
    expect(recipientRoles('booking_done', 'system')).toEqual(['admin']);
  });

  it('a confirmation goes to the client only', () => {
    expect(recipientRoles('booking_confirmed', 'admin')).toEqual(['client']);
  });

  it('a reminder goes to the client only', () => {
    expect(recipientRoles('booking_reminder', 'system')).toEqual(['client']);
  });

  it('a change by the system tells everyone', () => {
    expect(recipientRoles('booking_cancelled', 'system')).toEqual(['client', 'specialist', 'admin']);
  });
});
