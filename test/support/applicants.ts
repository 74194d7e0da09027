import { luhnValid } from "../../src/modules/cards/connector/pan";

/** The sandbox's test people, as partners send them: one definition for every test that applies for something. */

/** A loan applicant the sandbox scoring approves in full (any document number not listed in /docs#sandbox-values). */
export const LOAN_APPLICANT = {
  full_name: "Aziza Karimova",
  document_number: "31234567890123",
  phone_number: "+998901234567",
  birth_date: "1990-05-17",
};

/** A loan application of 5,000,000 UZS over 12 months. */
export const LOAN_ASK = {
  applicant: LOAN_APPLICANT,
  amount: 5_000_000,
  currency: "UZS" as const,
  term_months: 12,
};

/** A card applicant; a physical card also needs an address. */
export const CARD_APPLICANT = {
  full_name: "Alisher Karimov",
  phone_number: "+998901234567",
  birth_date: "1990-05-17",
  document_number: "AB1234567",
};

/** A Luhn-valid card number nobody attached yet: the sandbox bank knows every such number. */
export function freshPan(): string {
  for (;;) {
    const body = `8600${Array.from(crypto.getRandomValues(new Uint8Array(11)), (b) => b % 10).join("")}`;
    for (let d = 0; d < 10; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  }
}
