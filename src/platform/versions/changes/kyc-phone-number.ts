import type { VersionChange } from "../change";

/**
 * KYC said `phone` where every other operation says `phone_number` (card applications, card
 * attachment, loan applicants), and its answer's `identifier_type` named a field that did not
 * exist anywhere else. From 2026-12-01 the request field is `phone_number` and the answer's
 * `identifier_type` is `phone_number`: the identifier type is the name of the field you sent.
 */
export const kycPhoneNumber: VersionChange = {
  name: "kyc-phone-number",
  description:
    "KYC verifications: the request field `phone` is now `phone_number`, as in card applications, card attachment and loan applicants, and a verification's `identifier_type` is `phone_number` instead of `phone` (in answers and in `kyc_verification.completed` events), so the identifier type is always the name of the field that was sent. Before, KYC was the only operation that called a phone number `phone`. To upgrade, send `phone_number` and read `identifier_type` `phone_number`.",
  requests: [
    {
      method: "POST",
      path: "/v1/kyc/verifications",
      renamedFields: { "params.phone_number": "params.phone" },
      upgrade(params) {
        // `phone_number` was not a field at this version: ignored then, as every unknown field is.
        const { phone, phone_number: _unknownThen, ...rest } = params;
        return phone === undefined ? rest : { ...rest, phone_number: phone };
      },
    },
  ],
  objects: [
    {
      object: "kyc_verification",
      downgrade(value) {
        return value.identifier_type === "phone_number" ? { ...value, identifier_type: "phone" } : value;
      },
    },
  ],
};
