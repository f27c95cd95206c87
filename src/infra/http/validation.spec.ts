import { ParseIdPipe } from '../../common/parse-id.pipe';
import { DomainError } from '../../common/errors';
import { exceedsDepth, MAX_INPUT_DEPTH } from './validation';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('exceedsDepth', () => {
  it.each([
    [0, false],
    [1, false],
    [MAX_INPUT_DEPTH, false],
    [MAX_INPUT_DEPTH + 1, true],
    [100_000, true],
  ])('%i levels -> %p', (depth, expected) => {
    expect(exceedsDepth(nested(depth))).toBe(expected);
  });

  it('counts the deepest branch, not the widest', () => {
    expect(exceedsDepth({ wide: Array.from({ length: 10_000 }, (_, i) => i), deep: nested(MAX_INPUT_DEPTH - 1) })).toBe(false);
    expect(exceedsDepth({ shallow: 1, deep: nested(MAX_INPUT_DEPTH) })).toBe(true);
  });

  it('treats primitives and null as flat', () => {
    for (const v of [null, undefined, 'x', 3, true]) expect(exceedsDepth(v)).toBe(false);
  });
});

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();
  it.each([
    ['1', 1],
    ['42', 42],
    ['2147483647', 2147483647],
    [7, 7],
  ])('accepts %s', (raw, id) => {
    expect(pipe.transform(raw, { data: 'id' })).toBe(id);
  });

  it.each<string | number>(['0', '-1', '1.5', '1e3', '0x10', ' 1', '', 'abc', '2147483648', '99999999999999999999', 0, -1, 1.5, NaN, 1e20])('rejects %p with a 400 naming the parameter', (raw) => {
    let thrown: unknown;
    try {
      pipe.transform(raw, { data: 'bookingId' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).status).toBe(400);
    expect((thrown as DomainError).message).toContain('bookingId');
  });
});
