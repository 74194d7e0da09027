import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApplication } from "../../../src/modules/cards/applications";
import { confirmAttach, startAttach } from "../../../src/modules/cards/attach";
import { blockCard } from "../../../src/modules/cards/cards";
import { SANDBOX_SMS_CODE, SandboxCardSystem } from "../../../src/modules/cards/connector/sandbox";
import type { CardDeps } from "../../../src/modules/cards/deps";
import { loadProfile } from "../../../src/modules/partners/profile";
import { loadConfig } from "../../../src/platform/env";
import { CARD_APPLICANT, freshPan } from "../../support/applicants";
import {
  countingQueue,
  drainsOnce,
  type EventsQueue,
  eventRows,
  failingQueue,
  hangingQueue,
  partnerWithHook,
} from "../../support/outbox";
import { db } from "../../support/partners";
import { until } from "../../support/webhooks";

// Cards through the one event outbox: each change (application created, completed, card
// attached, blocked) commits with its event; a failed or interrupted send leaves the event
// pending for the drainer, which delivers it once; a retry of the request sends nothing twice.

const system = new SandboxCardSystem();
const deps = (events: EventsQueue): CardDeps => ({ db, events, config: loadConfig(env), system });

async function cardPartner() {
  const s = await partnerWithHook();
  const profile = await loadProfile(db, s.p.id);
  if (!profile) throw new Error("no profile");
  return { ...s, profile };
}

const VIRTUAL = {
  type: "virtual" as const,
  currency: "UZS" as const,
  applicant: { ...CARD_APPLICANT, address: null },
  metadata: {},
};

/** A partner with a virtual card, issued with its events sent. */
async function issuedCard() {
  const s = await cardPartner();
  const application = await createApplication(
    deps(countingQueue().queue),
    s.profile,
    crypto.randomUUID(),
    VIRTUAL,
  );
  return { s, cardId: application.card?.id ?? "" };
}

const cardStatus = async (id: string) =>
  (await env.DB.prepare("SELECT status FROM cards WHERE id = ?").bind(id).first<{ status: string }>())
    ?.status;

describe("the event outbox: cards", () => {
  it("issues a virtual card when the sends fail; the drainer delivers created and completed once", async () => {
    const s = await cardPartner();
    const key = crypto.randomUUID();
    const application = await createApplication(deps(failingQueue), s.profile, key, VIRTUAL);
    expect(application.status).toBe("completed");
    await drainsOnce(s.p.id, ["card_application.created", "card_application.completed"], s.arrived);
    // The retry of the create answers the same application and sends nothing again.
    const replay = countingQueue();
    const again = await createApplication(deps(replay.queue), s.profile, key, VIRTUAL);
    expect(again.id).toBe(application.id);
    expect(await eventRows(s.p.id, "card_application.created")).toHaveLength(1);
    expect(await eventRows(s.p.id, "card_application.completed")).toHaveLength(1);
    for (const type of ["card_application.created", "card_application.completed"]) {
      const [row] = await eventRows(s.p.id, type);
      expect(replay.timesSent(row?.id ?? "")).toBe(0);
    }
  });

  it("blocks the card when the send fails; the drainer delivers card.blocked once, and the retry sends nothing", async () => {
    const { s, cardId } = await issuedCard();
    const key = crypto.randomUUID();
    const blocked = await blockCard(deps(failingQueue), s.p.id, cardId, key, "lost");
    expect(blocked.status).toBe("blocked");
    expect(await cardStatus(cardId)).toBe("blocked");
    const { id } = await drainsOnce(s.p.id, "card.blocked", s.arrived);
    const replay = countingQueue();
    expect((await blockCard(deps(replay.queue), s.p.id, cardId, key, "lost")).status).toBe("blocked");
    expect(replay.timesSent(id)).toBe(0);
    expect(await eventRows(s.p.id, "card.blocked")).toHaveLength(1);
  });

  it("blocks a card once under concurrent blocks with one key: one card.blocked", async () => {
    const { s, cardId } = await issuedCard();
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => blockCard(deps(countingQueue().queue), s.p.id, cardId, key, "stolen")),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill("blocked"));
    expect(await eventRows(s.p.id, "card.blocked")).toHaveLength(1);
  });

  it("delivers once the card.attached of a confirm whose process died after the commit, before the send", async () => {
    const s = await cardPartner();
    const attachment = await startAttach(deps(countingQueue().queue), s.profile, crypto.randomUUID(), {
      card_number: freshPan(),
      phone_number: "+998901112244",
    });
    const hanging = hangingQueue();
    const key = crypto.randomUUID();
    const answer = confirmAttach(deps(hanging.queue), s.profile, key, {
      attachment_id: attachment.id,
      code: SANDBOX_SMS_CODE,
    });
    await until(async () => (await eventRows(s.p.id, "card.attached")).length === 1);
    const { id } = await drainsOnce(s.p.id, "card.attached", s.arrived);
    hanging.release();
    const card = await answer;
    expect(card.origin).toBe("attached");
    // The confirm's retry answers the same card; its event is neither stored nor sent again.
    const replay = countingQueue();
    const again = await confirmAttach(deps(replay.queue), s.profile, key, {
      attachment_id: attachment.id,
      code: SANDBOX_SMS_CODE,
    });
    expect(again.id).toBe(card.id);
    expect(replay.timesSent(id)).toBe(0);
    expect(await eventRows(s.p.id, "card.attached")).toHaveLength(1);
  });
});
