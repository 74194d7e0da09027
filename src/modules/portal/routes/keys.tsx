/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { flashOf } from "../../../platform/web/answer";
import type { ApiAnswer } from "../../../platform/web/self-call";
import { callApi } from "../api";
import { type Credential, KeysPage } from "../pages/keys";
import { formOf, frameOf, type PortalContext, type PortalEnv, requireSession } from "./context";

async function render(
  c: PortalContext,
  extra: {
    flash?: { kind: "ok" | "error"; text: string };
    created?: { consumer_key: string; consumer_secret: string };
  } = {},
  status: ContentfulStatusCode = 200,
) {
  const session = c.get("session");
  const listed = await callApi<{ data: Credential[] }>(c, session, "GET", "/v1/partner/credentials");
  return c.html(<KeysPage {...frameOf(c, "API keys")} keys={listed.result?.data ?? []} {...extra} />, status);
}

/** The API's refusal on the page, with the status the API answered. */
const refused = (c: PortalContext, answer: ApiAnswer<unknown>) =>
  render(c, { flash: flashOf(answer, "") }, answer.status as ContentfulStatusCode);

export function registerKeys(portal: Hono<PortalEnv>) {
  portal.get("/keys", requireSession(), (c) => render(c));

  portal.post("/keys", requireSession(), async (c) => {
    const form = await formOf(c);
    const description = form.description?.trim();
    const answer = await callApi<Credential & { consumer_secret: string | null }>(
      c,
      c.get("session"),
      "POST",
      "/v1/partner/credentials",
      {
        params: description ? { description } : {},
        idempotencyKey: form.idempotency_key,
      },
    );
    if (!answer.result) return refused(c, answer);
    const { consumer_key, consumer_secret } = answer.result;
    if (!consumer_secret)
      return render(c, {
        flash: { kind: "ok", text: `Key ${consumer_key} was created already; its secret was shown once.` },
      });
    return render(
      c,
      {
        created: { consumer_key, consumer_secret },
        flash: { kind: "ok", text: `Key ${consumer_key} created.` },
      },
      200,
    );
  });

  portal.post("/keys/:id/rotate", requireSession(), async (c) => {
    const form = await formOf(c);
    const overlap = Number(form.overlap_seconds ?? "86400");
    const answer = await callApi<Credential & { consumer_secret: string | null; previous: Credential }>(
      c,
      c.get("session"),
      "POST",
      `/v1/partner/credentials/${encodeURIComponent(c.req.param("id"))}/rotate`,
      {
        params: { overlap_seconds: Number.isFinite(overlap) ? overlap : form.overlap_seconds },
        idempotencyKey: form.idempotency_key,
      },
    );
    if (!answer.result) return refused(c, answer);
    const { previous: rotated, ...credential } = answer.result;
    const ends =
      rotated.status === "revoked" ? "has stopped working" : `keeps working until ${rotated.expires_at}`;
    const flash = { kind: "ok" as const, text: `Key ${rotated.consumer_key} rotated: it ${ends}.` };
    if (!credential.consumer_secret) return render(c, { flash });
    return render(c, {
      flash,
      created: { consumer_key: credential.consumer_key, consumer_secret: credential.consumer_secret },
    });
  });

  portal.post("/keys/:id/revoke", requireSession(), async (c) => {
    const answer = await callApi<Credential>(
      c,
      c.get("session"),
      "DELETE",
      `/v1/partner/credentials/${encodeURIComponent(c.req.param("id"))}`,
    );
    if (!answer.result) return refused(c, answer);
    return render(c, { flash: { kind: "ok", text: `Key ${answer.result.consumer_key} revoked.` } });
  });
}
