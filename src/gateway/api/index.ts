export * from './sessions.api';
