import type { Product } from "../../platform/catalog";

/**
 * The production application's vocabulary (docs/onboarding.md): its states, its compliance
 * checklist, its documents, and what each product requires before it can be submitted.
 */
export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "changes_requested",
  "approved",
  "rejected",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** The states in which the partner may still change it. */
export const EDITABLE: readonly ApplicationStatus[] = ["draft", "changes_requested"];

export type HistoryActorKind = "registrant" | "admin" | "system";

export interface Contact {
  name: string;
  email: string;
  phone?: string | null;
}

/** What the partner fills in; every member optional until submission, which checks completeness. */
export interface Checklist {
  legal_entity?: { name: string; registration_number: string; lei?: string | null };
  /** The licence reference for each regulated product applied for. */
  licences?: Partial<Record<RegulatedProduct, string>>;
  /** Accounts and KYC hold personal data: who answers for its protection. */
  data_protection_contact?: Contact;
  /** Production webhook URLs (https, public hosts): their hosts become the contract's webhook domains. */
  webhook_urls?: string[];
  /** CIDR blocks production calls will come from: the contract's IP allow-list. */
  ip_allowlist?: string[];
  technical_contact?: Contact;
  security_contact?: Contact;
}
export const CHECKLIST_MEMBERS = [
  "legal_entity",
  "licences",
  "data_protection_contact",
  "webhook_urls",
  "ip_allowlist",
  "technical_contact",
  "security_contact",
] as const satisfies readonly (keyof Checklist)[];

/** Products a partner needs the regulator's licence for. */
export const REGULATED_PRODUCTS = ["lending", "payments", "payouts"] as const;
export type RegulatedProduct = (typeof REGULATED_PRODUCTS)[number];
/** Products that hold personal data and need a data-protection contact. */
export const PERSONAL_DATA_PRODUCTS: readonly Product[] = ["accounts", "kyc"];

export const DOCUMENT_KINDS = [
  "pci_dss_attestation",
  "licence",
  "registration_certificate",
  "other",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Document limits: size, count, and the types accepted (checked against the bytes too). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS = 20;
export const DOCUMENT_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Each type's leading bytes: a PDF that is not one is refused (code 138). */
const SIGNATURES: Record<DocumentType, number[]> = {
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/jpeg": [0xff, 0xd8, 0xff],
};
export const bytesAre = (type: DocumentType, head: Uint8Array) =>
  SIGNATURES[type].every((byte, i) => head[i] === byte);

/** The most active live credentials a partner may hold. */
export const MAX_LIVE_CREDENTIALS = 5;

/**
 * An ISO 17442 Legal Entity Identifier: 18 alphanumerics and two check digits, valid under
 * ISO 7064 MOD 97-10 (the whole code, letters as 10–35, is 1 modulo 97).
 */
export function leiValid(lei: string): boolean {
  if (!/^[0-9A-Z]{18}[0-9]{2}$/.test(lei)) return false;
  let rest = 0;
  for (const ch of lei) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/**
 * What submission still needs, as the checklist's paths (`licences.payments`,
 * `documents.pci_dss_attestation`), in a stable order. Empty: complete.
 */
export function missingItems(
  products: readonly Product[],
  checklist: Checklist,
  documents: readonly { kind: DocumentKind }[],
): string[] {
  const missing: string[] = [];
  if (products.length === 0) missing.push("products");
  if (!checklist.legal_entity) missing.push("legal_entity");
  for (const product of REGULATED_PRODUCTS)
    if (products.includes(product) && !checklist.licences?.[product]) missing.push(`licences.${product}`);
  if (products.includes("cards") && !documents.some((d) => d.kind === "pci_dss_attestation"))
    missing.push("documents.pci_dss_attestation");
  if (products.some((p) => PERSONAL_DATA_PRODUCTS.includes(p)) && !checklist.data_protection_contact)
    missing.push("data_protection_contact");
  if (!checklist.webhook_urls?.length) missing.push("webhook_urls");
  if (!checklist.ip_allowlist?.length) missing.push("ip_allowlist");
  if (!checklist.technical_contact) missing.push("technical_contact");
  if (!checklist.security_contact) missing.push("security_contact");
  return missing;
}

/** The webhook URLs' hosts: the live contract's webhook domains. */
export const webhookHosts = (urls: readonly string[]) => [
  ...new Set(urls.map((u) => new URL(u).hostname.toLowerCase())),
];
