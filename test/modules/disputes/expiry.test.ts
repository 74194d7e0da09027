import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { scheduled } from "../../../src/scheduled";
import { controllerAt, cronJob } from "../../support/cron";
import { accountBalance, balanced, disputable, entriesOf, eventsOf } from "./support";

const DAY = 86_400_000;
const runExpiry = (at: number) => scheduled(controllerAt(at), env, [cronJob("disputes.expire")]);

describe("the disputes.expire cron job", () => {
  it("loses a dispute past evidence_due_by with no evidence submitted, once; a submitted one is left alone", async () => {
    const s = await disputable();
    const waiting = (await s.open()).body.result;
    const due = Date.parse(waiting.evidence_due_by);
    const other = await disputable();
    const submitted = (await other.open()).body.result;
    await other.evidence(submitted.id, { product_description: "x", submit: true });

    await runExpiry(due - 1);
    const read = () =>
      env.DB.prepare("SELECT status, closed_at FROM disputes WHERE id = ?").bind(waiting.id).first();
    expect(await read()).toMatchObject({ status: "needs_response", closed_at: null });

    await runExpiry(due + DAY);
    expect(await read()).toMatchObject({ status: "lost" });
    expect((await entriesOf(waiting.id)).dispute_lost).toEqual([
      "partner:partner_disputed debit 100000",
      "platform:card_clearing credit 100000",
    ]);
    expect((await eventsOf(s.p.id)).map((e) => [e.type, e.object.status])).toEqual([
      ["dispute.created", "needs_response"],
      ["dispute.closed", "lost"],
    ]);
    await runExpiry(due + 2 * DAY);
    expect((await eventsOf(s.p.id)).length).toBe(2);
    expect(await accountBalance(s.p.id, "partner_disputed")).toBe(0);
    const untouched = await env.DB.prepare("SELECT status FROM disputes WHERE id = ?")
      .bind(submitted.id)
      .first("status");
    expect(untouched).toBe("under_review");
    expect(await balanced()).toBe(true);
  });
});
