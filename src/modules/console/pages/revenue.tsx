/** @jsxImportSource hono/jsx */
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Filters, Table } from "../../../platform/web/parts";
import type { RevenueMonth } from "../../billing/invoicing/revenue";
import type { InvoiceView } from "../../billing/invoicing/view";
import { amount, minute } from "./format";

export interface RevenueFilter {
  from: string;
  to: string;
  partner_id: string;
}

/** The rows the revenue view adds beside the products, in the order the table shows them. */
const CHARGES = ["fees", "revenue_share", "minimum_commitment", "credits"];
const CHARGE_LABELS: Record<string, string> = {
  fees: "Fees",
  revenue_share: "Revenue share",
  minimum_commitment: "Minimum commitment",
  credits: "Credits",
};

/** Every product or charge the months invoiced: the products by name, then the charges. */
function columnsOf(months: RevenueMonth[]) {
  const seen = new Set(months.flatMap((m) => m.lines.map((l) => l.product)));
  const products = [...seen].filter((p) => !CHARGES.includes(p)).sort();
  return [...products, ...CHARGES.filter((p) => seen.has(p))];
}

/** The report's sums per currency: what was invoiced, credited, collected and is still owed. */
function totalsOf(months: RevenueMonth[]) {
  const by = new Map<string, { total: number; notes: number; paid: number; outstanding: number }>();
  for (const m of months) {
    const t = by.get(m.currency) ?? { total: 0, notes: 0, paid: 0, outstanding: 0 };
    t.total += m.total_minor;
    t.notes += m.credit_notes_minor;
    t.paid += m.paid_minor;
    t.outstanding += m.outstanding_minor;
    by.set(m.currency, t);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b));
}

const badge = (status: string) => (
  <span class={`badge badge-${status === "paid" ? "active" : "pending"}`}>{status}</span>
);

const newestFirst = (a: RevenueMonth, b: RevenueMonth) =>
  b.month.localeCompare(a.month) || a.partner_id.localeCompare(b.partner_id);

function Totals(props: { months: RevenueMonth[] }) {
  return (
    <section class="card" aria-labelledby="revenue-totals">
      <h2 id="revenue-totals">In these months</h2>
      {totalsOf(props.months).map(([currency, t]) => (
        <dl class="facts" data-currency={currency}>
          <dt>Invoiced ({currency})</dt>
          <dd data-total="invoiced">{amount(t.total, currency)}</dd>
          <dt>Credit notes</dt>
          <dd data-total="credit-notes">{amount(t.notes, currency)}</dd>
          <dt>Collected</dt>
          <dd data-total="collected">{amount(t.paid, currency)}</dd>
          <dt>Outstanding</dt>
          <dd data-total="outstanding">{amount(t.outstanding, currency)}</dd>
        </dl>
      ))}
    </section>
  );
}

/** A partner's invoices and credit notes of the months, each with its PDF through the console. */
function Documents(props: { filter: RevenueFilter; documents: { data: InvoiceView[]; has_more: boolean } }) {
  const { from, to } = props.filter;
  const rows = props.documents.data.filter((d) => {
    const month = d.period.start.slice(0, 7);
    return month >= from && month <= to;
  });
  const numberOf = (id: string | null) => props.documents.data.find((d) => d.id === id)?.number ?? id;
  return (
    <>
      <Table
        caption="This partner's invoices and credit notes in these months"
        columns={["Number", "Kind", "Period", "Issued", "Status", "Total", "PDF"]}
        rows={rows}
        empty="No invoices yet for this partner in these months."
        row={(d) => (
          <tr data-invoice={d.id}>
            <th scope="row">{d.number}</th>
            <td>
              {d.object === "credit_note" ? `credit note for ${numberOf(d.credit_note_for)}` : "invoice"}
            </td>
            <td>
              {d.period.start} to {d.period.end}
            </td>
            <td>{minute(d.issued_at)}</td>
            <td>{badge(d.status)}</td>
            <td>{amount(d.total, d.currency)}</td>
            <td>
              <a href={`/console/invoices/${d.id}/pdf`}>{d.number}.pdf</a>
            </td>
          </tr>
        )}
      />
      {props.documents.has_more ? <p class="hint">Only the latest 100 documents were read.</p> : null}
    </>
  );
}

/**
 * The revenue view: per month, partner and currency what the invoices billed by product and
 * charge, the credit notes against them and what is collected and outstanding.
 */
export function RevenuePage(
  props: PageFrame & {
    filter: RevenueFilter;
    /** The report; undefined when the admin API refused it (the flash says why). */
    months: RevenueMonth[] | undefined;
    /** Partner names by ID, as far as the console read them. */
    names: Map<string, string>;
    documents?: { data: InvoiceView[]; has_more: boolean };
  },
) {
  const { filter } = props;
  const months = props.months ?? [];
  const columns = columnsOf(months);
  const cell = (m: RevenueMonth, product: string) => {
    const line = m.lines.find((l) => l.product === product);
    return line ? amount(line.amount_minor, m.currency) : "—";
  };
  const invoicesOf = (partner: string) =>
    `/console/revenue?${new URLSearchParams({ from: filter.from, to: filter.to, partner_id: partner })}`;
  return (
    <Layout {...props} active="revenue">
      <Filters action="/console/revenue" label="Filter revenue" button="Show">
        <div>
          <label for="from">From month</label>
          <input id="from" name="from" type="month" value={filter.from} required />
        </div>
        <div>
          <label for="to">To month</label>
          <input id="to" name="to" type="month" value={filter.to} required />
        </div>
        <div>
          <label for="partner_id">Partner ID</label>
          <input id="partner_id" name="partner_id" value={filter.partner_id} />
        </div>
      </Filters>
      <p class="hint">
        Months are those the invoiced periods start in, at most 24; amounts are before tax per product, the
        totals with tax. Outstanding is what unpaid invoices still ask for, less their credit notes.
      </p>
      {months.length > 0 ? <Totals months={months} /> : null}
      {props.months ? (
        <Table
          caption="Revenue per month and partner"
          columns={[
            "Month",
            "Partner",
            ...columns.map((p) => CHARGE_LABELS[p] ?? p),
            "Tax",
            "Total",
            "Credit notes",
            "Collected",
            "Outstanding",
            "Status",
            "Invoices",
          ]}
          rows={[...months].sort(newestFirst)}
          empty={`No invoices yet from ${filter.from} to ${filter.to}.`}
          row={(m) => (
            <tr data-revenue={`${m.month} ${m.partner_id} ${m.currency}`}>
              <th scope="row">{m.month}</th>
              <td>
                <a href={`/console/partners/${m.partner_id}`}>
                  {props.names.get(m.partner_id) ?? <code>{m.partner_id}</code>}
                </a>
              </td>
              {columns.map((p) => (
                <td data-product={p}>{cell(m, p)}</td>
              ))}
              <td data-field="tax">{amount(m.tax_minor, m.currency)}</td>
              <td data-field="total">{amount(m.total_minor, m.currency)}</td>
              <td data-field="credit-notes">{amount(m.credit_notes_minor, m.currency)}</td>
              <td data-field="collected">{amount(m.paid_minor, m.currency)}</td>
              <td data-field="outstanding">{amount(m.outstanding_minor, m.currency)}</td>
              <td data-field="status">{badge(m.status)}</td>
              <td>
                <a
                  href={invoicesOf(m.partner_id)}
                  aria-label={`${m.invoices} ${m.invoices === 1 ? "invoice" : "invoices"} of ${props.names.get(m.partner_id) ?? m.partner_id}`}
                >
                  {m.invoices}
                </a>
              </td>
            </tr>
          )}
        />
      ) : null}
      {props.documents ? (
        <Documents filter={filter} documents={props.documents} />
      ) : filter.partner_id ? null : (
        <p class="hint">
          Choose a partner (its invoice count above) to list its invoices, each with its PDF.
        </p>
      )}
    </Layout>
  );
}

/** A PDF the admin API would not give: its refusal, and the way back. */
export function RevenueRefusedPage(props: PageFrame) {
  return (
    <Layout {...props} active="revenue">
      <p>
        <a href="/console/revenue">Back to revenue</a>
      </p>
    </Layout>
  );
}
