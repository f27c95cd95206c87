import type { InitiatorRole, OutboxEventType } from '../../booking/api';
import type { RecipientRole } from '../api/notification-settings.dto';

/** Booking events that notify someone (SPEC §4); the other outbox events are only history. */
export const NOTIFYING_EVENTS = [
  'booking_created',
  'booking_confirmed',
  'booking_cancelled',
  'booking_rescheduled',
  'booking_done',
  'booking_reminder',
] as const;
export type NotifyingEvent = (typeof NOTIFYING_EVENTS)[number];

export const isNotifying = (type: OutboxEventType): type is NotifyingEvent =>
  (NOTIFYING_EVENTS as readonly string[]).includes(type);

/**
 * Who hears of an event, by who caused it (SPEC §4's table). The initiator's own role is left out,
 * except the client's confirmation of their own booking. Rows the table does not have (a specialist
 * booking or moving, a client moving) tell the other two parties, as the table does elsewhere.
 */
export function recipientRoles(event: NotifyingEvent, initiator: InitiatorRole): RecipientRole[] {
  // The completion checker asks the admins whether the visit happened.
  if (event === 'booking_done') return ['admin'];
  // A pending booking confirmed (by the admin): the client waits for exactly this news.
  if (event === 'booking_reminder' || event === 'booking_confirmed') return ['client'];
  if (event === 'booking_created' && initiator === 'client') return ['client', 'specialist', 'admin'];
  const everyone: RecipientRole[] = ['client', 'specialist', 'admin'];
  return everyone.filter((role) => role !== initiator);
}
