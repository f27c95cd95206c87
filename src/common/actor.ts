export const ROLES = ['admin', 'specialist', 'client'] as const;
export type Role = (typeof ROLES)[number];

export const CLIENT_TYPES = ['internal', 'public', 'api', 'system'] as const;
/** internal: the Telegram bot; public: web client after OTP; api: bearer token of an integration; system: background jobs. */
export type ClientType = (typeof CLIENT_TYPES)[number];

/** Who performs a call. Every contract method takes one; access rules are decided from it alone. */
export interface Actor {
  userId: number;
  role: Role | 'system';
  clientType: ClientType;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: 0, role: 'system', clientType: 'system' });

export function isStaff(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'system';
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}
