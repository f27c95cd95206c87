export const BOOKING_STATUSES = ['pending', 'confirmed', 'done', 'no_show', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Who caused a change; 'system' is the completion checker and other background jobs. */
export const INITIATOR_ROLES = ['client', 'admin', 'specialist', 'system'] as const;
export type InitiatorRole = (typeof INITIATOR_ROLES)[number];
