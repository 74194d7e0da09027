import { Hono } from "hono";
import { pageErrors } from "../../../../platform/web/page-errors";
import type { ApplyEnv } from "../context";
import { APPLY } from "../site";
import { registerEntry } from "./entry";
import { registerJourney } from "./journey";

/**
 * The portal's onboarding pages (production only; docs/portal.md): register, verify the email, sign
 * in as the registrant, accept the terms, apply with documents, answer the reviewers, make live
 * keys. Every step is a call to the /onboarding API with the registrant's own session.
 */
export function applyApp() {
  const apply = new Hono<ApplyEnv>();
  apply.onError(pageErrors(APPLY));
  registerEntry(apply);
  registerJourney(apply);
  return apply;
}
