import { dayRange, type FeeRule, feeOf, type LineType, netOf, type ReportLine } from "../model";
import { renderReport } from "./render";
import type { FetchResult, SettledMovement, SettlementSource } from "./types";

/** How the sandbox acquirer's own records are read: what it settled on a day. */
export type AcquirerRecords = (provider: string, start: number, end: number) => Promise<SettledMovement[]>;

/**
 * The sandbox acquirer's settlement report: every capture and refund of its payments on the day,
 * in the order they happened, with its fee rule applied. Deterministic: the same day gives the
 * same file, byte for byte.
 */
export class SandboxSettlementSource implements SettlementSource {
  readonly provider = "sandbox";

  constructor(
    private readonly records: AcquirerRecords,
    private readonly fees: FeeRule,
  ) {}

  async report(settlementDate: string): Promise<FetchResult> {
    const { start, end } = dayRange(settlementDate);
    const movements = await this.records(this.provider, start, end);
    const lines = movements.map((m): Omit<ReportLine, "line"> => {
      const type: LineType = m.type;
      const fee = feeOf(this.fees, type, m.amount);
      return {
        type,
        providerReference: m.providerReference,
        paymentId: m.paymentId,
        refundId: m.refundId,
        amount: m.amount,
        currency: m.currency as ReportLine["currency"],
        fee,
        net: netOf(type, m.amount, fee),
      };
    });
    return { ok: true, csv: renderReport(this.provider, settlementDate, lines) };
  }
}
