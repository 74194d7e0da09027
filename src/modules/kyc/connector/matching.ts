import type { KycField } from "./types";

// Apostrophe-like marks of Uzbek Latin (oʻ, gʻ) and their stand-ins, all one mark.
const APOSTROPHES = /[\u2018\u2019\u02BB\u02BC\u0060\u00B4']/g;

/**
 * A name as compared: case, apostrophe variants, hyphens, punctuation, spacing and word
 * order ignored (documents put the surname first, forms often last).
 */
export function normaliseName(value: string): string {
  return value
    .normalize("NFKC")
    .toLocaleLowerCase("en")
    .replace(APOSTROPHES, "'")
    .split(/[-\s.,]+/)
    .filter((word) => word !== "")
    .sort()
    .join(" ");
}

/** A document number as compared: letters upper-cased, spaces and dashes dropped. */
export const normaliseDocument = (value: string) =>
  value
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s-]+/g, "");

const NORMALISE: Record<KycField, (value: string) => string> = {
  full_name: normaliseName,
  birth_date: (value) => value.trim(),
  document_number: normaliseDocument,
};

/** Whether a claimed value matches the bank's record of that field. */
export const fieldMatches = (field: KycField, claimed: string, record: string) =>
  NORMALISE[field](claimed) === NORMALISE[field](record);
