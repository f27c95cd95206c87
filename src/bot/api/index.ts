export * from './bot-messenger.api';
