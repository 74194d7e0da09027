import { PRODUCTS, type Product } from "../../platform/catalog";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import {
  type KillSwitchRow,
  killSwitchOf,
  killSwitchRows,
  setKillSwitch,
} from "../../platform/kill-switches";

const view = (product: Product, config: Config, row: KillSwitchRow | undefined) => {
  const byConfig = config.PRODUCTS_DISABLED.includes(product);
  const bySwitch = row?.disabled ?? false;
  return {
    product,
    object: "kill_switch" as const,
    disabled: byConfig || bySwitch,
    disabled_by_configuration: byConfig,
    disabled_by_switch: bySwitch,
    reason: row?.reason ?? null,
    updated_by: row?.updatedBy ?? null,
    updated_at: row?.updatedAt ?? null,
  };
};
export type KillSwitchView = ReturnType<typeof view>;

/** Every product's switch: off when the configuration (`PRODUCTS_DISABLED`) or the switch says so. */
export async function listKillSwitches(db: Db, config: Config): Promise<KillSwitchView[]> {
  const rows = new Map((await killSwitchRows(db)).map((r) => [r.product, r]));
  return PRODUCTS.map((p) => view(p, config, rows.get(p)));
}

/** Sets a product's switch; it bites in this isolate at once and everywhere within a few seconds. */
export async function switchProduct(
  db: Db,
  config: Config,
  change: { product: Product; disabled: boolean; reason: string; by: string },
) {
  const before = view(change.product, config, await killSwitchOf(db, change.product));
  const row = await setKillSwitch(db, {
    product: change.product,
    disabled: change.disabled,
    reason: change.reason,
    updatedBy: change.by,
  });
  return { before, after: view(change.product, config, row) };
}
