import type { RedirectKind } from "../connector/sandbox";
import type { Operation } from "../model";
import type { PaymentStatus } from "../state";

export interface Choice {
  /** The last path segment of the button's POST. */
  outcome: string;
  label: string;
  /** What the button does: the same operation as the partner API's call for it. */
  operation: Operation;
}

export interface Flow {
  title: string;
  intro: string;
  /** The status the page's buttons act on; any other means the customer is done here. */
  awaiting: PaymentStatus;
  choices: readonly Choice[];
}

/**
 * The sandbox's customer pages. 3-D Secure: the buttons are `POST /v1/payments/{id}/confirm`
 * with `authentication_result`. Bank: `POST /v1/sandbox/payments/{id}/simulate` with `outcome`.
 */
export const FLOWS: Record<RedirectKind, Flow> = {
  "3ds": {
    title: "3-D Secure check",
    intro: "The card issuer asks the customer to confirm this card payment.",
    awaiting: "requires_action",
    choices: [
      {
        outcome: "success",
        label: "Authenticate (success)",
        operation: { op: "confirm", result: "success" },
      },
      { outcome: "failure", label: "Fail authentication", operation: { op: "confirm", result: "failure" } },
      { outcome: "canceled", label: "Cancel", operation: { op: "confirm", result: "canceled" } },
    ],
  },
  bank: {
    title: "Bank payment approval",
    intro: "The customer's bank asks them to approve this account-to-account payment.",
    awaiting: "pending",
    choices: [
      { outcome: "succeeded", label: "Approve payment", operation: { op: "simulate", outcome: "succeeded" } },
      { outcome: "failed", label: "Decline payment", operation: { op: "simulate", outcome: "failed" } },
    ],
  },
};
