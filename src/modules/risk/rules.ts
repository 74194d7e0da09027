import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { type Actor, auditOf } from "./audit";
import type { Condition, Decision, Rule, RuleMode } from "./model";
import {
  countOf,
  deleteRule as deleteRow,
  insertRule,
  lastPosition,
  type RuleRow,
  riskRules,
  ruleOf,
  rulesOf,
  updateRule as updateRow,
} from "./storage";

/** A partner's rules are read on every payment: a bounded set keeps that read and the evaluation small. */
export const MAX_RULES = 100;

export interface RuleParams {
  name: string;
  position?: number | undefined;
  conditions: Condition[];
  action: Decision;
  mode: RuleMode;
}

export const ruleView = (row: RuleRow): Rule => ({
  id: row.id,
  object: "risk_rule",
  name: row.name,
  position: row.position,
  conditions: row.conditions,
  action: row.action,
  mode: row.mode,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

/** The partner's rules in evaluation order. */
export async function listRules(db: Db, partnerId: string): Promise<Rule[]> {
  return (await rulesOf(db, partnerId)).map(ruleView);
}

export async function getRule(db: Db, partnerId: string, id: string): Promise<Rule> {
  return ruleView(await existing(db, partnerId, id));
}

async function existing(db: Db, partnerId: string, id: string) {
  const row = await ruleOf(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `risk rule ${id}` });
  return row;
}

/** A new rule; without a position it goes last (after the highest position, by 10). */
export async function createRule(db: Db, actor: Actor, params: RuleParams): Promise<Rule> {
  if ((await countOf(db, riskRules, actor.partnerId)) >= MAX_RULES)
    throw new ApiError("risk_limit_reached", { limit: MAX_RULES, what: "rules" });
  const now = new Date().toISOString();
  const row: RuleRow = {
    id: uuidv7(),
    partnerId: actor.partnerId,
    name: params.name,
    position: params.position ?? (await lastPosition(db, actor.partnerId)) + 10,
    conditions: params.conditions,
    action: params.action,
    mode: params.mode,
    createdAt: now,
    updatedAt: now,
  };
  const rule = ruleView(row);
  await insertRule(db, row, auditOf(actor, "risk_rule.created", rule.id, null, rule));
  return rule;
}

/** Changes the fields given; the rest stay. */
export async function updateRule(
  db: Db,
  actor: Actor,
  id: string,
  params: Partial<RuleParams>,
): Promise<Rule> {
  const before = await existing(db, actor.partnerId, id);
  const row: RuleRow = {
    ...before,
    ...(params.name !== undefined ? { name: params.name } : {}),
    ...(params.position !== undefined ? { position: params.position } : {}),
    ...(params.conditions !== undefined ? { conditions: params.conditions } : {}),
    ...(params.action !== undefined ? { action: params.action } : {}),
    ...(params.mode !== undefined ? { mode: params.mode } : {}),
    updatedAt: new Date().toISOString(),
  };
  const rule = ruleView(row);
  await updateRow(db, row, auditOf(actor, "risk_rule.updated", id, ruleView(before), rule));
  return rule;
}

export async function deleteRule(db: Db, actor: Actor, id: string) {
  const before = await existing(db, actor.partnerId, id);
  await deleteRow(db, before, auditOf(actor, "risk_rule.deleted", id, ruleView(before), null));
  return { id, object: "risk_rule" as const, deleted: true as const };
}
