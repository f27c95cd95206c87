export * from './slots.api';
