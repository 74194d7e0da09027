import type { Db } from "../../platform/db/client";
import { settledOn } from "./books";
import type { ReconciliationConfig } from "./config";
import { SandboxSettlementSource } from "./connector/sandbox";
import type { SettlementSource } from "./connector/types";

/**
 * The settlement source of a configured name (`SETTLEMENT_SOURCES`), or undefined for a name
 * with none. The sandbox's reads the sandbox acquirer's own records: its payments' events.
 */
export function settlementSourceFor(
  name: string,
  db: Db,
  config: ReconciliationConfig,
): SettlementSource | undefined {
  const fees = config.fees[name];
  if (name === "sandbox" && fees)
    return new SandboxSettlementSource((provider, start, end) => settledOn(db, provider, start, end), fees);
  return undefined;
}
