/**
 * One breaking change, written as Stripe writes a "version change": what it is for the changelog,
 * and how to cross it in both directions. A request made at an older version is upgraded across
 * the change (its `params`, before validation); an answer is downgraded back across it (each
 * object of a listed type, wherever it appears in `result` or in an event's `data`). A change
 * touches only the operations and objects it names, so every other request skips it for free.
 */
export interface VersionChange {
  /** A stable name, e.g. `kyc-phone-number`: the changelog's anchor. */
  readonly name: string;
  /** What changed and why, for the changelog (Markdown-free prose). */
  readonly description: string;
  /** Requests: the operations whose `params` change, and how an older request's are upgraded. */
  readonly requests?: readonly RequestChange[];
  /** Answers and events: the object types whose shape changes, and how one is downgraded. */
  readonly objects?: readonly ObjectChange[];
}

export interface RequestChange {
  readonly method: "POST" | "PATCH" | "PUT";
  /** The route as declared, e.g. `/v1/kyc/verifications` or `/v1/cards/{id}/block`. */
  readonly path: string;
  /**
   * The older `params` made current. Returns a new object (never mutates its argument); may
   * throw an ApiError naming the old field when an old value cannot be carried over.
   */
  upgrade(params: Record<string, unknown>): Record<string, unknown>;
  /** Fields renamed by the upgrade (`params.new` → `params.old`): a refusal names the caller's field. */
  readonly renamedFields?: Readonly<Record<string, string>>;
}

export interface ObjectChange {
  /** The `object` member of the objects touched, e.g. `kyc_verification`. */
  readonly object: string;
  /** The current object as it was at the older version (returns a new object). */
  downgrade(value: Record<string, unknown>): Record<string, unknown>;
}
