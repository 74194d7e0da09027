/**
 * JSON values as source code: TypeScript object literals and Python dicts, inline when short,
 * else one member a line. An `Expr` is code the sample computes (`crypto.randomUUID()`).
 */
export class Expr {
  constructor(readonly code: string) {}
}

export interface LiteralStyle {
  /** One level of indentation. */
  indent: string;
  key(name: string): string;
  /** How `{ a: 1 }` reads inline: TypeScript pads its braces, Python does not. */
  pad: string;
  scalar(value: string | number | boolean | null): string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** The widest line an inline literal may end on. */
const WIDTH = 88;

export const TYPESCRIPT: LiteralStyle = {
  indent: "  ",
  key: (name) => (IDENTIFIER.test(name) ? name : JSON.stringify(name)),
  pad: " ",
  scalar: (value) => JSON.stringify(value),
};

/** A JSON string is a valid Python string literal; the other scalars are spelled Python's way. */
export const PYTHON: LiteralStyle = {
  indent: "    ",
  key: (name) => JSON.stringify(name),
  pad: "",
  scalar: (value) =>
    value === null ? "None" : value === true ? "True" : value === false ? "False" : JSON.stringify(value),
};

/**
 * `value` as a literal at the indentation `depth`, starting at `column` of its first line (which the
 * caller writes the start of): inline when it fits there, else one member a line.
 */
export function literal(value: unknown, style: LiteralStyle, depth = 0, column = 0): string {
  if (value instanceof Expr) return value.code;
  if (value === null || typeof value !== "object")
    return style.scalar(value as string | number | boolean | null);
  const array = Array.isArray(value);
  const entries = array
    ? value.map((v) => ["", v] as const)
    : Object.entries(value as Record<string, unknown>).map(([k, v]) => [`${style.key(k)}: `, v] as const);
  const [open, close] = array ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return open + close;
  const indent = style.indent.repeat(depth + 1);
  const inner = entries.map(([k, v]) => k + literal(v, style, depth + 1, indent.length + k.length));
  const pad = array ? "" : style.pad;
  const inline = `${open}${pad}${inner.join(", ")}${pad}${close}`;
  // The "," or ")," that follows it on its line.
  if (!inline.includes("\n") && column + inline.length + 2 <= WIDTH) return inline;
  return `${open}\n${inner.map((line) => `${indent}${line},`).join("\n")}\n${style.indent.repeat(depth)}${close}`;
}
