/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Flash, flashOf, statusOf } from "../../../platform/web/answer";
import { type KillSwitch, KillSwitchesPage } from "../pages/kill-switches";
import { asAdmin, type ConsoleContext, type ConsoleEnv, formOf, frameOf } from "./context";

async function switchesPage(c: ConsoleContext, flash?: Flash, code: ContentfulStatusCode = 200) {
  const listed = await asAdmin<KillSwitch[]>(c, "GET", "/admin/v1/kill-switches");
  return c.html(
    <KillSwitchesPage
      {...frameOf(c, "Kill switches")}
      switches={listed.result ?? []}
      {...(flash ? { flash } : listed.error ? { flash: flashOf(listed, "") } : {})}
    />,
    flash ? code : statusOf(listed),
  );
}

export function registerKillSwitches(app: Hono<ConsoleEnv>) {
  app.get("/kill-switches", (c) => switchesPage(c));

  // Off refuses every partner's calls to the product: the form asks for a confirmation, and
  // without it nothing is sent to the admin API.
  app.post("/kill-switches/:product", async (c) => {
    const product = c.req.param("product");
    const form = await formOf(c);
    const disabled = form.disabled === "true";
    if (disabled && form.confirm !== "yes")
      return switchesPage(
        c,
        { kind: "error", text: `Not switched: confirm that ${product} refuses every partner's calls.` },
        400,
      );
    const answer = await asAdmin<KillSwitch>(
      c,
      "PUT",
      `/admin/v1/kill-switches/${encodeURIComponent(product)}`,
      {
        params: { disabled, reason: (form.reason ?? "").trim() },
      },
    );
    const done = !disabled
      ? `${product} switched on${answer.result?.disabled ? ", but PRODUCTS_DISABLED keeps it off" : ""}.`
      : `${product} switched off: its routes answer 503, code 22.`;
    return switchesPage(c, flashOf(answer, done), statusOf(answer));
  });
}
