/**
 * A value for a JSON schema of the OpenAPI document, as a code sample sends it: the schema's own
 * `example` where it has one, else the smallest value the schema accepts that still says something
 * (an object's required properties; with none required, those that carry an example).
 */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

/** A UUID for an id the sample cannot know (a payment's, a quote's): valid, and plainly made up. */
export const SAMPLE_UUID = "0b6f6b8e-3f5e-4f0a-9d3a-6f1c2b7e9a10";

const DAY_MS = 86_400_000;

export class SchemaSampler {
  /** Midnight UTC of `now`: the samples' dates change once a day, not on every request. */
  private readonly today: number;

  constructor(
    private readonly schemas: Record<string, Schema>,
    now: Date,
  ) {
    this.today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  }

  /** The schema a `$ref` chain ends at, with `allOf` merged into one object schema. */
  resolve(raw: Schema | undefined): Schema {
    let s = raw ?? {};
    for (let n = 0; s.$ref && n < 20; n++) s = this.schemas[s.$ref.split("/").pop() ?? ""] ?? {};
    if (!s.allOf) return s;
    const parts = s.allOf.map((part) => this.resolve(part));
    return {
      ...s,
      allOf: undefined,
      properties: Object.assign({}, ...parts.map((p) => p.properties), s.properties),
      required: [...parts.flatMap((p) => p.required ?? []), ...(s.required ?? [])],
    };
  }

  /** The schema's declared example, if it has one. */
  exampleOf(raw: Schema | undefined): unknown {
    const s = this.resolve(raw);
    return s.example !== undefined ? s.example : s.examples?.[0];
  }

  value(raw: Schema | undefined, depth = 0): unknown {
    const s = this.resolve(raw);
    const example = this.exampleOf(s);
    if (example !== undefined || depth > 8) return example ?? null;
    const branch = (s.oneOf ?? s.anyOf)?.find((b) => !types(this.resolve(b)).includes("null"));
    if (branch) return this.value(branch, depth + 1);
    const type = types(s).find((t) => t !== "null");
    if (type === "object") return this.objectValue(s, depth);
    if (type === "array")
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => this.value(s.items, depth + 1));
    for (const v of [s.const, s.default, s.enum?.[0]]) if (v !== undefined) return v;
    if (type === "integer" || type === "number") return lowest(s, type);
    if (type === "boolean") return true;
    return this.stringValue(s.format);
  }

  private objectValue(s: Schema, depth: number): Record<string, unknown> {
    const properties = s.properties ?? {};
    const required = s.required ?? [];
    const names = required.length
      ? required.filter((name) => name in properties)
      : Object.keys(properties).filter((name) => this.exampleOf(properties[name]) !== undefined);
    return Object.fromEntries(names.map((name) => [name, this.value(properties[name], depth + 1)]));
  }

  private stringValue(format: string | undefined): string {
    switch (format) {
      case "uuid":
        return SAMPLE_UUID;
      // In the future and within the limits of what takes one (a consent lives at most 90 days).
      case "date-time":
        return new Date(this.today + 30 * DAY_MS).toISOString().replace(".000Z", "Z");
      case "date":
        return new Date(this.today).toISOString().slice(0, 10);
      case "email":
        return "dev@partner.example";
      case "uri":
      case "url":
        return "https://partner.example/callback";
      default:
        return "string";
    }
  }
}

function types(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  return s.properties ? ["object"] : [];
}

function lowest(s: Schema, type: string): number {
  if (s.minimum !== undefined) return s.minimum;
  if (s.exclusiveMinimum !== undefined) return s.exclusiveMinimum + (type === "integer" ? 1 : 0.5);
  return 0;
}
