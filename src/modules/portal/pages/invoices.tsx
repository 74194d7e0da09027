/** @jsxImportSource hono/jsx */

import { timeOf } from "../../../platform/web/format";
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import type { InvoiceLineView, InvoiceView } from "../../billing/invoicing/view";
import { lastDay, moneyOf, percent } from "../../billing/wording";

export type InvoiceDetail = InvoiceView & { lines: InvoiceLineView[] };

const KIND = { invoice: "Invoice", credit_note: "Credit note" } as const;
const periodOf = (i: InvoiceView) => `${i.period.start} to ${lastDay(i.period.end)}`;
const pdfOf = (i: InvoiceView) => `/portal/invoices/${i.id}/pdf`;

/** Invoices: the partner's invoices and credit notes, newest first, older pages (GET /v1/invoices). */
export function InvoicesPage(props: PageFrame & { invoices: InvoiceView[] | undefined; next?: string }) {
  return (
    <Layout {...props} active="invoices">
      <p class="hint">
        An invoice is issued when a billing period closes; a credit note corrects one. Amounts include tax;
        each document downloads as the PDF it was issued as.
      </p>
      {props.invoices ? (
        <Table
          id="invoices"
          caption="Your invoices and credit notes, newest first"
          columns={["Number", "Document", "Period", "Status", "Issued", "Total", "PDF"]}
          rows={props.invoices}
          empty="No invoices yet: the first is issued when your first billing period closes."
          row={(i) => (
            <tr data-invoice={i.number}>
              <td>
                <a href={`/portal/invoices/${i.id}`}>{i.number}</a>
              </td>
              <td>{KIND[i.object]}</td>
              <td>{periodOf(i)}</td>
              <td>
                <span class={`badge badge-${i.status}`}>{i.status}</span>
              </td>
              <td>{timeOf(i.issued_at)}</td>
              <td>{moneyOf(i.total, i.currency)}</td>
              <td>
                <a href={pdfOf(i)} download aria-label={`PDF of ${i.number}`}>
                  PDF
                </a>
              </td>
            </tr>
          )}
        />
      ) : null}
      {props.next ? (
        <p>
          <a href={`/portal/invoices?${new URLSearchParams({ starting_after: props.next })}`}>
            Older invoices
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** One invoice or credit note with its lines (GET /v1/invoices/{id}). */
export function InvoicePage(props: PageFrame & { invoice: InvoiceDetail }) {
  const i = props.invoice;
  const m = (minor: number) => moneyOf(minor, i.currency);
  return (
    <Layout {...props} active="invoices">
      <section class="card" aria-label="The document">
        <dl class="facts">
          <dt>Period</dt>
          <dd>{`${periodOf(i)}, plan version ${i.plan_version}`}</dd>
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-${i.status}`}>{i.status}</span>
            {i.paid_at ? ` ${timeOf(i.paid_at)}` : ""}
          </dd>
          <dt>Issued</dt>
          <dd>{timeOf(i.issued_at)}</dd>
          {i.credit_note_for ? (
            <>
              <dt>Corrects</dt>
              <dd>
                <a href={`/portal/invoices/${i.credit_note_for}`}>the invoice</a>
                {i.reason ? `: ${i.reason}` : ""}
              </dd>
            </>
          ) : null}
          <dt>Subtotal</dt>
          <dd>{m(i.subtotal)}</dd>
          <dt>Credits</dt>
          <dd>{i.credited ? `−${m(i.credited)}` : "none"}</dd>
          <dt>{`Tax (${percent(i.tax_bps)})`}</dt>
          <dd>{m(i.tax)}</dd>
          <dt>Total</dt>
          <dd id="invoice-total">
            <strong>{m(i.total)}</strong>
          </dd>
        </dl>
        <p>
          <a href={pdfOf(i)} download>
            Download the PDF
          </a>
        </p>
      </section>
      <Table
        id="invoice-lines"
        caption="Lines: quantity × unit price, each rounded once"
        columns={["#", "Line", "Quantity", "Unit price", "Amount"]}
        rows={i.lines}
        empty="No lines."
        row={(l) => (
          <tr data-line={l.kind}>
            <td>{l.position + 1}</td>
            <td>{l.description}</td>
            <td>{l.quantity}</td>
            <td>
              {l.unit_price.per === 1
                ? m(l.unit_price.minor)
                : `${m(l.unit_price.minor)} per ${l.unit_price.per}`}
            </td>
            <td>{m(l.amount)}</td>
          </tr>
        )}
      />
      {i.unapplied_credits.length > 0 ? (
        <section class="card" aria-labelledby="carried">
          <h2 id="carried">Credits carried to the next invoice</h2>
          <ul>
            {i.unapplied_credits.map((u) => (
              <li>{`${u.description}: ${m(u.amount_minor)}`}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
