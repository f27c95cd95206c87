export * from './sessions.api';
export * from './telegram-gateway.api';
