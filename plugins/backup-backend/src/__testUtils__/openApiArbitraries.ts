// Test-only: request generators derived from the plugin's OpenAPI document,
// mostly valid values with adversarial ones mixed in, so that a property run
// reaches the deep code paths as well as every validator.
import fc from 'fast-check';
import { spec } from '../schema/openapi';

type Schema = Record<string, any>;

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Text an attacker or a broken client sends: surrogates, NUL, RTL, … */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDC00y',
    '\u202Egnp.exe',
    '\u200F\u05D0\u05D1',
    '👩‍👩‍👧‍👦🏳️‍🌈',
    "'; drop table restore_tests; --",
    '%00',
    '../../etc/passwd',
    '=HYPERLINK("http://evil")',
    'x'.repeat(5000),
  ),
);

/** Well-formed text of any script, as a valid submission may carry. */
export const anyWellFormedText = (minLength = 0, maxLength = 40) =>
  fc
    .string({ unit: 'grapheme', minLength, maxLength })
    .filter(text => !text.includes('\u0000') && text.length >= minLength);

/** Date-time parts over and beyond their ranges: day 00, hour 29, … */
const impossibleDateTime = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 29 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    offset: fc.constantFrom('Z', '+02:00', '-11:30', '+99:99', '+14:00'),
  })
  .map(
    p =>
      `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(
        p.minute,
      )}:${pad(p.second)}${p.offset}`,
  );

/** A real instant within the last year (minus a margin for time order). */
export const recentDateTime = fc
  .integer({ min: 2, max: 365 * 24 })
  .map(hoursAgo => new Date(Date.now() - hoursAgo * 3_600_000).toISOString());

const recentDay = fc
  .integer({ min: 0, max: 365 })
  .map(days => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10));

const hostileNumber = fc.constantFrom(
  -1,
  1.5,
  2 ** 31,
  3e9,
  1e19,
  2 ** 53 + 2,
  Number.MAX_VALUE,
);

const resolve = (schema: Schema): Schema =>
  schema.$ref
    ? (spec.components.schemas as Record<string, Schema>)[
        schema.$ref.split('/').pop()
      ]
    : schema;

/** Mostly valid, sometimes hostile: weights keep most bodies acceptable. */
const mostly = (valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: hostile, weight: 1 });

function stringFor(schema: Schema, hostility: 0 | 1): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.format === 'date-time') {
    if (!hostility) return recentDateTime;
    return fc.oneof(
      { arbitrary: recentDateTime, weight: 6 },
      { arbitrary: impossibleDateTime, weight: 1 },
    );
  }
  if (schema.format === 'date') return recentDay;
  if (schema.pattern?.startsWith('^https?')) {
    return fc.constant('https://tickets.example.com/OPS-1');
  }
  if (schema.pattern) {
    // any string the pattern admits, within the schema's lengths
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter(
        text =>
          text.length >= (schema.minLength ?? 0) &&
          text.length <= (schema.maxLength ?? Infinity),
      );
  }
  return anyWellFormedText(
    schema.minLength ?? 0,
    Math.min(schema.maxLength ?? 40, 40),
  );
}

/** A value for a schema; `hostility` 0 gives valid values only. */
export function arbitraryFor(
  input: Schema,
  hostility: 0 | 1 = 1,
): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const withHostile = (
    valid: fc.Arbitrary<unknown>,
    hostile: fc.Arbitrary<unknown> = hostileText,
  ) => (hostility ? mostly(valid, hostile) : valid);
  switch (schema.type) {
    case 'string':
      return withHostile(stringFor(schema, hostility));
    case 'integer':
      return withHostile(
        fc.integer({
          min: schema.minimum ?? 0,
          max: Math.min(schema.maximum ?? 1_000_000, 1_000_000),
        }),
        hostileNumber,
      );
    case 'array':
      return fc.array(arbitraryFor(schema.items, hostility), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(schema.properties ?? {})
          // a random id to supersede is never valid: only hostile runs send one
          .filter(([key]) => hostility || key !== 'supersedes')
          .map(([key, value]) => [
            key,
            arbitraryFor(value as Schema, hostility),
          ]),
      );
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue();
  }
}

/** Percent-encodes any string, lone surrogates included (as WTF-8 bytes). */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      ]
        .map(byte => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/** One generated request: method, path with its query string, and body. */
export interface GeneratedRequest {
  operationId: string;
  method: 'get' | 'post';
  path: string;
  body?: unknown;
}

const hostilePathSegment = fc.oneof(
  hostileText.map(percentEncode),
  fc.constantFrom('%00', '%ED%A0%80', '%E0%A4%A', '..', '%2F', 'a'.repeat(300)),
);

/** A nested body deeper than any schema, and other non-objects. */
const hostileBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(
    Array.from({ length: 500 }).reduce<unknown>(inner => ({ a: inner }), {}),
  ),
  fc.constant([]),
);

function pathArbitrary(
  template: string,
  params: Schema[],
  known: Record<string, string>,
) {
  const pathParams = params.filter(p => p.in === 'path');
  return fc
    .record<Record<string, string>>(
      Object.fromEntries(
        pathParams.map(p => [
          p.name,
          known[p.name]
            ? fc.oneof(
                { arbitrary: fc.constant(known[p.name]), weight: 15 },
                { arbitrary: hostilePathSegment, weight: 1 },
              )
            : hostilePathSegment,
        ]),
      ),
    )
    .map(values =>
      template.replace(/\{(\w+)\}/g, (_, name) => String(values[name])),
    );
}

function queryArbitrary(params: Schema[]) {
  const queryParams = params.filter(p => p.in === 'query');
  return fc
    .record(
      Object.fromEntries(
        queryParams.map(p => [p.name, arbitraryFor(p.schema)]),
      ),
      { requiredKeys: [] },
    )
    .map(values =>
      Object.entries(values)
        .map(([key, value]) => `${key}=${percentEncode(String(value))}`)
        .join('&'),
    );
}

/**
 * A request generator for every operation of the document. `known` gives
 * path parameters that name something real (the fixture entity), so that
 * most requests get past the 404 and exercise the store.
 */
export function requestsFor(
  known: Record<string, string>,
): Array<{ operationId: string; arbitrary: fc.Arbitrary<GeneratedRequest> }> {
  return Object.entries(spec.paths).flatMap(([template, operations]) =>
    Object.entries(operations as Record<string, Schema>).map(
      ([method, operation]) => {
        const params = (operation.parameters ?? []) as Schema[];
        const bodySchema =
          operation.requestBody?.content['application/json'].schema;
        const arbitrary = fc
          .record({
            path: pathArbitrary(template, params, known),
            query: queryArbitrary(params),
            // whole requests valid or hostile, so that many reach the store
            body: bodySchema
              ? fc.oneof(
                  { arbitrary: arbitraryFor(bodySchema, 0), weight: 3 },
                  { arbitrary: arbitraryFor(bodySchema, 1), weight: 2 },
                  { arbitrary: hostileBody, weight: 1 },
                )
              : fc.constant(undefined),
          })
          .map(({ path, query, body }) => ({
            operationId: operation.operationId as string,
            method: method as 'get' | 'post',
            path: query ? `${path}?${query}` : path,
            body,
          }));
        return { operationId: operation.operationId as string, arbitrary };
      },
    ),
  );
}
