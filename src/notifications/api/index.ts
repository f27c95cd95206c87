export * from './ad-templates.api';
export * from './ad-templates.dto';
export * from './notification-settings.api';
export * from './notification-settings.dto';
export * from './push-subscriptions.api';
export * from './push-subscriptions.dto';
export * from './broadcasts.api';
export * from './broadcasts.dto';
