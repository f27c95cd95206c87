export * from './availability.api';
export * from './slot-checks.api';
export * from './slots.api';
export * from './slots.dto';
