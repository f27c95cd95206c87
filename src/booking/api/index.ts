export * from './availability.api';
export * from './bookings.dto';
export * from './locations.api';
export * from './locations.dto';
export * from './users.api';
export * from './users.dto';
