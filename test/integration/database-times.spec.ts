import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeResult } from '../support/timestamps-probe';
import { databaseEnv, ON_POSTGRES } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');

/** The hour New York lives twice: 01:30 local is 05:30Z (EDT) and again 06:30Z (EST). */
const FIRST = '2026-11-01T05:30:00.000Z';
const SECOND = '2026-11-01T06:30:00.000Z';

/**
 * Timestamps are instants on either database, whatever the app's time zone: SQLite stores UTC text, and
 * PostgreSQL's `timestamp` columns hold UTC too (not the process's wall clock, which repeats an hour each autumn).
 */
describe(`timestamps on ${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}, the app in America/New_York`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'salon-times-'));
  let result: ProbeResult;

  beforeAll(async () => {
    const probe = spawnSync(
      process.execPath,
      ['-r', join(ROOT, 'scripts/swc-register.js'), join(ROOT, 'test/support/timestamps-probe.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          TZ: 'America/New_York',
          PROBE_INSTANTS: JSON.stringify([FIRST, SECOND]),
          ...(await databaseEnv(join(dir, 'booking.db'))),
        },
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(probe.stderr).toBe('');
    result = JSON.parse(probe.stdout);
  }, 70000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two instants an hour apart stay apart and exact, written by the entity or by bound SQL', () => {
    expect(result.read).toEqual([FIRST, SECOND, SECOND]);
    expect(result.later).toBe(2);
  });

  it("a column's database default (CURRENT_TIMESTAMP) reads back as the time of the insert", () => {
    // SQLite's CURRENT_TIMESTAMP has whole seconds.
    expect(result.defaulted).toBeGreaterThanOrEqual(result.before - 1000);
    expect(result.defaulted).toBeLessThanOrEqual(result.after);
  });
});
