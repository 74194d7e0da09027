import fc from "fast-check";
import { type Schema, typesOf } from "./openapi";

// The edge values of the battery, by the schema of what they stand in for.

const TEN_KB = "x".repeat(10 * 1024);
export const NUL = "a\u0000b";
export const RTL = "\u202Eabc";
const TWO_POW_63 = 2 ** 63;

/**
 * The strings a value of this schema is tried with. A constrained string (enum, pattern,
 * format) only needs to be shown not matching; free text gets every edge case.
 */
function stringsFor(schema: Schema): [string, string][] {
  const values: [string, string][] = [
    ["an empty string", ""],
    ["a 10 KB string", TEN_KB],
  ];
  if (schema.enum) return [...values, ["a value outside the enum", "contract_not_in_enum"]];
  values.push(["a NUL character", NUL]);
  if (schema.pattern === undefined && schema.format === undefined) values.push(["an RTL override", RTL]);
  return values;
}

const NUMBERS: [string, number][] = [
  ["-1", -1],
  ["0", 0],
  ["1.5", 1.5],
  ["2^63", TWO_POW_63],
];

/** The values a field of this schema is tried with: null, a wrong type, edge strings and numbers. */
export function valuesFor(schema: Schema): [string, unknown][] {
  const types = typesOf(schema);
  const values: [string, unknown][] = [["null", null]];
  if (types.includes("object") || types.includes("array")) {
    values.push(["a string", "x"]);
    if (!types.includes("array")) values.push(["an array", []]);
  } else if (types.includes("string")) values.push(["an integer", 12345]);
  else values.push(["a string", "x"]);
  if (types.includes("string")) values.push(...stringsFor(schema));
  if (types.includes("integer") || types.includes("number")) values.push(...NUMBERS);
  return values;
}

/** A parameter's values (strings, as a URL or header carries them). */
export function paramValuesFor(schema: Schema): string[] {
  const types = typesOf(schema);
  if (types.includes("integer") || types.includes("number"))
    return ["", "zzz", ...NUMBERS.map(([, n]) => (n === TWO_POW_63 ? "9223372036854775808" : String(n)))];
  return stringsFor(schema).map(([, v]) => v);
}

/** A short, fixed-seed property-based sample: random JSON at random fields. */
export function randomJunk(fields: [string[], Schema][], seed: number, runs: number): [string[], unknown][] {
  if (fields.length === 0) return [];
  const arb = fc.tuple(
    fc.constantFrom(...fields.map(([p]) => p)),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: "binary", maxLength: 40 }), fc.double()),
  );
  return fc.sample(arb, { seed, numRuns: runs });
}

export const seedOf = (text: string) => [...text].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 7);
