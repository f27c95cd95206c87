export * from './slots.api';
export * from './slots.dto';
