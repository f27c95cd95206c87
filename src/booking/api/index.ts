export * from './bookings.dto';
export * from './locations.api';
export * from './locations.dto';
export * from './users.api';
export * from './users.dto';
export * from './bookings.api';
export * from './outbox.api';
