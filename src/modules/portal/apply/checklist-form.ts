import { PRODUCTS } from "../../../platform/catalog";
import { REGULATED_PRODUCTS } from "../../onboarding/application-model";

/**
 * The application form's fields as the API's checklist patch (docs/onboarding.md): a group left
 * wholly empty clears that item (`null`), a list is one entry per line. The API validates the rest
 * and names the field it refuses.
 */
type Fields = Record<string, string>;

const value = (fields: Fields, name: string) => (fields[name] ?? "").trim();
const optional = (fields: Fields, name: string) => value(fields, name) || null;

/** Checkbox per product: `product_<name>`. */
export const productsOf = (fields: Fields) => PRODUCTS.filter((p) => fields[`product_${p}`] !== undefined);

function group<T>(fields: Fields, names: string[], build: () => T): T | null {
  return names.some((n) => value(fields, n)) ? build() : null;
}

const contact = (fields: Fields, prefix: string) =>
  group(fields, [`${prefix}_name`, `${prefix}_email`, `${prefix}_phone`], () => ({
    name: value(fields, `${prefix}_name`),
    email: value(fields, `${prefix}_email`),
    phone: optional(fields, `${prefix}_phone`),
  }));

const lines = (fields: Fields, name: string) => {
  const list = value(fields, name)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return list.length ? list : null;
};

export function checklistOf(fields: Fields) {
  const licences: Record<string, string> = {};
  for (const p of REGULATED_PRODUCTS)
    if (value(fields, `licence_${p}`)) licences[p] = value(fields, `licence_${p}`);
  return {
    legal_entity: group(fields, ["legal_name", "legal_number", "legal_lei"], () => ({
      name: value(fields, "legal_name"),
      registration_number: value(fields, "legal_number"),
      lei: optional(fields, "legal_lei"),
    })),
    licences: Object.keys(licences).length ? licences : null,
    data_protection_contact: contact(fields, "dpc"),
    technical_contact: contact(fields, "tech"),
    security_contact: contact(fields, "sec"),
    webhook_urls: lines(fields, "webhook_urls"),
    ip_allowlist: lines(fields, "ip_allowlist"),
  };
}
