import type { Actor, Role } from './actor';
import { DomainError } from './errors';

export const RESOURCES = [
  'location',
  'service',
  'specialist',
  'schedule',
  'booking',
  'user',
  'settings',
  'notification_setting',
  'ad_template',
  'push_subscription',
  'audit',
] as const;
export type Resource = (typeof RESOURCES)[number];
export type Operation = 'read' | 'write';

/** all: any object; own: only objects tied to the actor (others look absent: 404); none: 403. */
export type Access = 'all' | 'own' | 'none';

type Matrix = Record<Role, Record<Resource, Record<Operation, Access>>>;

const CATALOG = { read: 'all', write: 'none' } as const;
const HIDDEN = { read: 'none', write: 'none' } as const;
const OWN_READ = { read: 'own', write: 'none' } as const;
const OWN = { read: 'own', write: 'own' } as const;

/**
 * Who may do what. Locations, services and specialists are a public catalog; everything
 * personal is visible to its owner only. A specialist's booking writes are further limited
 * by the booking lifecycle (own bookings, done / no-show / cancel).
 */
export const ACCESS_MATRIX: Matrix = {
  admin: Object.fromEntries(RESOURCES.map((r) => [r, { read: 'all', write: 'all' }])) as Matrix['admin'],
  specialist: {
    location: CATALOG,
    service: CATALOG,
    specialist: CATALOG,
    schedule: OWN_READ,
    booking: OWN,
    user: OWN,
    settings: CATALOG,
    notification_setting: HIDDEN,
    ad_template: HIDDEN,
    push_subscription: OWN,
    audit: HIDDEN,
  },
  client: {
    location: CATALOG,
    service: CATALOG,
    specialist: CATALOG,
    schedule: HIDDEN,
    booking: OWN,
    user: OWN,
    settings: CATALOG,
    notification_setting: HIDDEN,
    ad_template: HIDDEN,
    push_subscription: OWN,
    audit: HIDDEN,
  },
};

export function accessOf(actor: Actor, resource: Resource, operation: Operation): Access {
  if (actor.role === 'system') return 'all';
  return ACCESS_MATRIX[actor.role][resource][operation];
}

/** Throws 403 when the role may not touch the resource at all; returns the scope otherwise. */
export function authorize(actor: Actor, resource: Resource, operation: Operation): 'all' | 'own' {
  const access = accessOf(actor, resource, operation);
  if (access === 'none')
    throw DomainError.forbidden(`A ${actor.role} may not ${operation} ${resource.replace('_', ' ')}s`);
  return access;
}

/** For a single object: 'own' scope and not the owner means 404, so existence does not leak. */
export function authorizeObject(
  actor: Actor,
  resource: Resource,
  operation: Operation,
  isOwner: boolean,
  notFound: () => DomainError,
): void {
  const scope = authorize(actor, resource, operation);
  if (scope === 'own' && !isOwner) throw notFound();
}
