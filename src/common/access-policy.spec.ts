import {
  Access,
  accessOf,
  authorize,
  authorizeObject,
  Operation,
  Resource,
  RESOURCES,
} from './access-policy';
import { Actor, ROLES, Role, SYSTEM_ACTOR } from './actor';
import { DomainError, ErrorCode } from './errors';

/**
 * The access rules of issue 2 written out by hand (read/write per role), independent of ACCESS_MATRIX:
 * admin everything; specialist reads the catalog, own schedule, own bookings and profile; client only its own.
 */
const EXPECTED = `
resource              admin     specialist  client
location              all/all   all/none    all/none
service               all/all   all/none    all/none
specialist            all/all   all/none    all/none
schedule              all/all   own/none    none/none
booking               all/all   own/own     own/own
user                  all/all   own/own     own/own
settings              all/all   all/none    all/none
notification_setting  all/all   none/none   none/none
ad_template           all/all   none/none   none/none
push_subscription     all/all   own/own     own/own
audit                 all/all   none/none   none/none
`;

const rows = EXPECTED.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.trim().split(/\s+/));
const CASES: [Role, Resource, Operation, Access][] = rows.flatMap(([resource, ...perRole]) =>
  (['admin', 'specialist', 'client'] as const).flatMap((role, i) => {
    const [read, write] = perRole[i].split('/') as [Access, Access];
    return [
      [role, resource as Resource, 'read', read],
      [role, resource as Resource, 'write', write],
    ] as [Role, Resource, Operation, Access][];
  }),
);

const actor = (role: Role, userId = 7): Actor => ({ userId, role, clientType: 'api' });

describe('access matrix', () => {
  it('the table covers every resource and role exactly once', () => {
    expect(rows.map((r) => r[0]).sort()).toEqual([...RESOURCES].sort());
    expect(CASES).toHaveLength(RESOURCES.length * ROLES.length * 2);
  });

  it.each(CASES)('%s %s %s -> %s', (role, resource, operation, expected) => {
    expect(accessOf(actor(role), resource, operation)).toBe(expected);
  });

  it.each(CASES)('authorize(%s, %s, %s): %s', (role, resource, operation, expected) => {
    if (expected === 'none') {
      let thrown: unknown;
      try {
        authorize(actor(role), resource, operation);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect((thrown as DomainError).code).toBe(ErrorCode.Forbidden);
      expect((thrown as DomainError).status).toBe(403);
      expect((thrown as DomainError).message).toContain(role);
    } else {
      expect(authorize(actor(role), resource, operation)).toBe(expected);
    }
  });

  it.each(RESOURCES.flatMap((r) => (['read', 'write'] as const).map((op) => [r, op] as const)))(
    'the system actor may %s / %s everything',
    (resource, operation) => {
      expect(authorize(SYSTEM_ACTOR, resource, operation)).toBe('all');
    },
  );
});

describe('authorizeObject', () => {
  const notFound = jest.fn(() => DomainError.notFound('thing', 42));
  beforeEach(() => notFound.mockClear());

  function outcome(role: Role, resource: Resource, operation: Operation, isOwner: boolean): number {
    try {
      authorizeObject(actor(role), resource, operation, isOwner, notFound);
      return 200;
    } catch (err) {
      return (err as DomainError).status;
    }
  }

  // 'all': any object; 'own': the owner's only, others 404 (existence hidden); 'none': 403 even for the owner.
  const EXPECT_BY_ACCESS: Record<Access, { owner: number; other: number }> = {
    all: { owner: 200, other: 200 },
    own: { owner: 200, other: 404 },
    none: { owner: 403, other: 403 },
  };

  it.each(CASES)("%s %s %s (%s) on own and on another user's object", (role, resource, operation, access) => {
    expect(outcome(role, resource, operation, true)).toBe(EXPECT_BY_ACCESS[access].owner);
    expect(outcome(role, resource, operation, false)).toBe(EXPECT_BY_ACCESS[access].other);
  });

  it('throws exactly the error the caller built for a foreign object', () => {
    expect(() => authorizeObject(actor('client'), 'booking', 'read', false, notFound)).toThrow(
      'thing 42 not found',
    );
    expect(notFound).toHaveBeenCalledTimes(1);
  });

  it('does not build the not-found error when access is granted or forbidden outright', () => {
    authorizeObject(actor('client'), 'booking', 'read', true, notFound);
    authorizeObject(actor('admin'), 'booking', 'write', false, notFound);
    expect(() => authorizeObject(actor('client'), 'audit', 'read', false, notFound)).toThrow(DomainError);
    expect(notFound).not.toHaveBeenCalled();
  });
});
