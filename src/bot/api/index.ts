export * from './bot-messenger.api';
export * from './bot-sandbox.api';
export * from './bot-transport.api';
export * from './bot-updates.api';
export * from './tg-user-context';
export * from './callback-codec';
