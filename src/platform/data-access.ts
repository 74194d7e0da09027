/**
 * Data minimisation (docs/products.md): personal fields, by the category a contract may license in
 * its data-access profile. A field not licensed never leaves the gateway in clear.
 */
export const DATA_CATEGORIES = [
  "name",
  "phone",
  "documents",
  "birth_date",
  "address",
  "email",
  "card_details",
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Response field names that carry personal data, wherever they appear in a response. */
export const PERSONAL_FIELDS: Readonly<Record<string, DataCategory>> = {
  full_name: "name",
  first_name: "name",
  last_name: "name",
  middle_name: "name",
  holder_name: "name",
  cardholder_name: "name",
  phone: "phone",
  phone_number: "phone",
  document_number: "documents",
  passport_number: "documents",
  pinfl: "documents",
  tax_id: "documents",
  birth_date: "birth_date",
  date_of_birth: "birth_date",
  address: "address",
  email: "email",
  expiry_month: "card_details",
  expiry_year: "card_details",
};

const FIELD_PATTERN = new RegExp(`"(${Object.keys(PERSONAL_FIELDS).join("|")})"\\s*:`);

/** Whether a JSON text may hold a personal field (a cheap test before parsing). */
export const mayHoldPersonalData = (json: string) => FIELD_PATTERN.test(json);

/** What an unlicensed field shows: its shape at most (a phone keeps its last two digits). */
function masked(category: DataCategory, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (category === "phone" && typeof value === "string" && value.length > 4) {
    return `${"*".repeat(value.length - 2)}${value.slice(-2)}`;
  }
  return typeof value === "string" ? "***" : null;
}

const categoryOf = (key: string): DataCategory | undefined =>
  Object.hasOwn(PERSONAL_FIELDS, key) ? PERSONAL_FIELDS[key] : undefined;

/** A copy of `value` with every personal field the licence does not cover masked, at any depth. */
export function minimise(value: unknown, licensed: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => minimise(v, licensed));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const category = categoryOf(key);
    out[key] = category && !licensed.has(category) ? masked(category, inner) : minimise(inner, licensed);
  }
  return out;
}

export type MaskingReplacer = (key: string, value: unknown) => unknown;

/**
 * `minimise` as a `JSON.stringify` replacer, so an answer is masked while it is serialised
 * (the same result as minimising its parsed JSON); null when the licence covers every category.
 */
export function maskingReplacer(licensed: readonly string[]): MaskingReplacer | null {
  const set = new Set(licensed);
  if (DATA_CATEGORIES.every((category) => set.has(category))) return null;
  return (key, value) => {
    const category = categoryOf(key);
    return category && !set.has(category) ? masked(category, value) : value;
  };
}
