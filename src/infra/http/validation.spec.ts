import { ParseIdPipe } from '../../common/parse-id.pipe';
import { DomainError } from '../../common/errors';
import { inputTooCostly, jsonTooCostly, MAX_INPUT_DEPTH, MAX_OBJECT_KEYS } from './validation';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const exceedsDepth = (value: unknown) =>
  inputTooCostly(value) === `is nested deeper than ${MAX_INPUT_DEPTH} levels`;
const wide = (keys: number) => Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i]));

describe('inputTooCostly: depth', () => {
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
    expect(
      exceedsDepth({ wide: Array.from({ length: 10_000 }, (_, i) => i), deep: nested(MAX_INPUT_DEPTH - 1) }),
    ).toBe(false);
    expect(exceedsDepth({ shallow: 1, deep: nested(MAX_INPUT_DEPTH) })).toBe(true);
  });

  it('treats primitives and null as flat', () => {
    for (const v of [null, undefined, 'x', 3, true]) expect(inputTooCostly(v)).toBeUndefined();
  });
});

describe('inputTooCostly: fields per object', () => {
  const tooWide = `has an object with more than ${MAX_OBJECT_KEYS} fields`;
  it.each([
    ['an object at the limit', wide(MAX_OBJECT_KEYS), undefined],
    ['an object one over', wide(MAX_OBJECT_KEYS + 1), tooWide],
    ['107,000 fields', wide(107_000), tooWide],
    ['a wide object nested in an array', [{ a: 1 }, { b: { c: wide(MAX_OBJECT_KEYS + 1) } }], tooWide],
    ['a long array of small objects', Array.from({ length: 5_000 }, () => ({ weekday: 1 })), undefined],
    ['a long array of numbers', Array.from({ length: 200_000 }, (_, i) => i), undefined],
  ])('%s', (_, value, expected) => {
    expect(inputTooCostly(value)).toBe(expected);
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

  it.each<string | number>([
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    ' 1',
    '',
    'abc',
    '2147483648',
    '99999999999999999999',
    0,
    -1,
    1.5,
    NaN,
    1e20,
  ])('rejects %p with a 400 naming the parameter', (raw) => {
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

describe('jsonTooCostly: the same bounds on the raw bytes, before parsing', () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  it.each([
    ['an object at the field limit', json(wide(MAX_OBJECT_KEYS)), undefined],
    [
      'an object one over',
      json(wide(MAX_OBJECT_KEYS + 1)),
      `has an object with more than ${MAX_OBJECT_KEYS} fields`,
    ],
    [
      'colons inside strings, escaped quotes too',
      json({ text: `a "quoted": ${':'.repeat(500)}`, at: '10:00' }),
      undefined,
    ],
    [
      'many small objects in an array',
      json(Array.from({ length: 2_000 }, () => ({ weekday: 1, startMin: 0 }))),
      undefined,
    ],
    [
      'a wide object deep inside',
      json({ a: [{ b: wide(MAX_OBJECT_KEYS + 1) }] }),
      `has an object with more than ${MAX_OBJECT_KEYS} fields`,
    ],
    ['nesting at the limit', json(nested(MAX_INPUT_DEPTH)), undefined],
    [
      'nesting one over',
      json(nested(MAX_INPUT_DEPTH + 1)),
      `is nested deeper than ${MAX_INPUT_DEPTH} levels`,
    ],
    ['multi-byte text', json({ name: 'Салон «Митте» 💇', city: 'Zürich' }), undefined],
  ])('%s', (_, body, expected) => {
    expect(jsonTooCostly(body)).toBe(expected);
  });

  it('agrees with inputTooCostly on random shapes', () => {
    for (let seed = 1; seed < 300; seed++) {
      let rnd = seed;
      const next = () => (rnd = (rnd * 16807) % 2147483647) / 2147483647;
      const build = (level: number): unknown => {
        const r = next();
        if (level > 40 || r < 0.3) return r < 0.15 ? 'x:"y' : 7;
        if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => build(level + 1));
        return Object.fromEntries(
          Array.from({ length: Math.floor(next() * 80) }, (_, i) => [`k${i}`, build(level + 1)]),
        );
      };
      const value = build(0);
      expect(jsonTooCostly(Buffer.from(JSON.stringify(value)))).toBe(inputTooCostly(value));
    }
  });
});
