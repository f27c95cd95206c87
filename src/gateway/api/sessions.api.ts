import type { ClientType } from '../../common/actor';

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

/** Opaque bearer tokens for the REST API (integrations, the init-admin script, the OTP web client). */
export abstract class SessionsApi {
  abstract issue(userId: number, clientType: ClientType): Promise<IssuedToken>;
  abstract revoke(token: string): Promise<void>;
}
