/** @jsxImportSource hono/jsx */
import { Table } from "../../../platform/web/parts";
import type { SlaReport } from "./report";
import { bpsText } from "./service-credits";

/** How a target's outcome reads on a page. */
const STATUS_TEXT = {
  met: "met",
  missed: "missed",
  no_target: "no target",
  not_measured: "not measured",
} as const;

/** A measured figure against its target: `99.40 %, target 99.50 %: missed`, or `(no target)`. */
const against = (measured: string | null, target: string | null, status: keyof typeof STATUS_TEXT) =>
  target === null
    ? `${measured ?? "—"} (no target)`
    : `${measured ?? "—"}, target ${target}: ${STATUS_TEXT[status]}`;

/**
 * Months of service levels as the portal's "Service level" page and the console's partner page
 * show them (docs/sla.md): per month the calls measured, availability and p95 against the tier's
 * targets, met or missed, and the credit earned. Both pages draw the same API answer.
 */
export function SlaTable(props: { months: readonly SlaReport[]; caption: string }) {
  return (
    <Table
      id="sla"
      caption={props.caption}
      columns={["Month", "Calls measured", "Server errors", "Availability", "p95 latency", "Credit earned"]}
      rows={props.months}
      row={(m) => (
        <tr data-sla={m.month}>
          <td>
            {m.month}
            {m.complete ? "" : " (so far)"}
          </td>
          <td>
            {m.calls.counted}
            {m.calls.refused > 0 ? ` (${m.calls.refused} refused by your limits, not measured)` : ""}
          </td>
          <td>{m.calls.server_errors}</td>
          <td data-sla-availability={m.availability.status}>
            {against(
              m.availability.measured_bps === null ? null : bpsText(m.availability.measured_bps),
              m.availability.target_bps === null ? null : bpsText(m.availability.target_bps),
              m.availability.status,
            )}
          </td>
          <td data-sla-p95={m.p95_latency.status}>
            {against(
              m.p95_latency.measured_ms === null ? null : `${m.p95_latency.measured_ms} ms`,
              m.p95_latency.target_ms === null ? null : `${m.p95_latency.target_ms} ms`,
              m.p95_latency.status,
            )}
          </td>
          <td data-sla-credit={m.credit_bps}>
            {m.credit_bps === 0 ? "none" : `${bpsText(m.credit_bps)} of the recurring fee`}
          </td>
        </tr>
      )}
    />
  );
}
