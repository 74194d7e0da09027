/** @jsxImportSource hono/jsx */

import { PRODUCTS } from "../../../../platform/catalog";
import { timeOf } from "../../../../platform/web/format";
import { ActionForm, Layout, type PageFrame } from "../../../../platform/web/layout";
import { Table } from "../../../../platform/web/parts";
import {
  DOCUMENT_KINDS,
  DOCUMENT_TYPES,
  EDITABLE,
  REGULATED_PRODUCTS,
} from "../../../onboarding/application-model";

interface Contact {
  name: string;
  email: string;
  phone?: string | null;
}

export interface ApplicationView {
  id: string;
  status: (typeof EDITABLE)[number] | "submitted" | "approved" | "rejected";
  revision: number;
  products: string[];
  checklist: {
    legal_entity?: { name: string; registration_number: string; lei?: string | null };
    licences?: Record<string, string>;
    data_protection_contact?: Contact;
    technical_contact?: Contact;
    security_contact?: Contact;
    webhook_urls?: string[];
    ip_allowlist?: string[];
  };
  documents: {
    id: string;
    kind: string;
    filename: string;
    content_type: string;
    size: number;
    created_at: string;
  }[];
  missing: string[];
  history: {
    id: string;
    action: string;
    actor: { kind: string; id: string };
    to_status: string | null;
    comment: string | null;
    created_at: string;
  }[];
  partner_id: string | null;
}

const label = (s: string) => s.replaceAll("_", " ");

function Field(props: {
  name: string;
  label: string;
  value?: string | null | undefined;
  type?: string;
  disabled: boolean;
}) {
  return (
    <>
      <label for={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        disabled={props.disabled}
      />
    </>
  );
}

function ContactFields(props: {
  prefix: string;
  legend: string;
  contact: Contact | undefined;
  disabled: boolean;
}) {
  const c = props.contact;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <Field name={`${props.prefix}_name`} label="Name" value={c?.name} disabled={props.disabled} />
      <Field
        name={`${props.prefix}_email`}
        label="Email"
        type="email"
        value={c?.email}
        disabled={props.disabled}
      />
      <Field
        name={`${props.prefix}_phone`}
        label="Phone (E.164, optional)"
        value={c?.phone}
        disabled={props.disabled}
      />
    </fieldset>
  );
}

/** No application yet: start one with the products wanted. */
export function StartApplicationPage(props: PageFrame & { csrf: string; products: string[] }) {
  return (
    <Layout {...props}>
      <p>
        The application tells the bank who you are and how you will call production: your legal entity, the
        licences your products need, your contacts, webhook URLs and the addresses you call from.
      </p>
      <ActionForm action="/portal/apply/application" csrf={props.csrf} label="Start the application">
        <ProductChoice chosen={props.products} disabled={false} />
      </ActionForm>
    </Layout>
  );
}

function ProductChoice(props: { chosen: string[]; disabled: boolean }) {
  return (
    <fieldset>
      <legend>Products</legend>
      {PRODUCTS.map((p) => (
        <label class="check">
          <input
            type="checkbox"
            name={`product_${p}`}
            value="on"
            checked={props.chosen.includes(p)}
            disabled={props.disabled}
          />{" "}
          {p}
        </label>
      ))}
    </fieldset>
  );
}

/** The application: status, what is missing, the checklist form, documents, the reviewers' comments, submission. */
export function ApplicationPage(props: PageFrame & { csrf: string; application: ApplicationView }) {
  const a = props.application;
  const editable = (EDITABLE as readonly string[]).includes(a.status);
  const c = a.checklist;
  const comments = a.history.filter((h) => h.actor.kind === "admin" && h.comment);
  return (
    <Layout {...props}>
      <p>
        Status{" "}
        <span class={`badge badge-${a.status}`} id="application-status">
          {label(a.status)}
        </span>{" "}
        · revision {a.revision}
      </p>
      {comments.length ? (
        <section class="card" aria-label="Reviewers' comments">
          <h2>Reviewers’ comments</h2>
          <ul class="comments">
            {comments.map((h) => (
              <li>
                <strong>{label(h.action)}</strong> · {timeOf(h.created_at)}
                <blockquote>{h.comment}</blockquote>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {a.missing.length ? (
        <section class="card" aria-label="Still missing">
          <h2>Still missing before you can submit</h2>
          <ul id="missing">
            {a.missing.map((m) => (
              <li>
                <code>{m}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form method="post" action={`/portal/apply/application/${a.id}`} class="stack">
        <input type="hidden" name="csrf" value={props.csrf} />
        <ProductChoice chosen={a.products} disabled={!editable} />
        <fieldset>
          <legend>Legal entity</legend>
          <Field
            name="legal_name"
            label="Registered name"
            value={c.legal_entity?.name}
            disabled={!editable}
          />
          <Field
            name="legal_number"
            label="Registration number"
            value={c.legal_entity?.registration_number}
            disabled={!editable}
          />
          <Field
            name="legal_lei"
            label="LEI (ISO 17442, optional)"
            value={c.legal_entity?.lei}
            disabled={!editable}
          />
        </fieldset>
        <fieldset>
          <legend>Licences (for the regulated products you apply for)</legend>
          {REGULATED_PRODUCTS.map((p) => (
            <Field
              name={`licence_${p}`}
              label={`${p} licence reference`}
              value={c.licences?.[p]}
              disabled={!editable}
            />
          ))}
        </fieldset>
        <ContactFields
          prefix="dpc"
          legend="Data protection contact (accounts, KYC)"
          contact={c.data_protection_contact}
          disabled={!editable}
        />
        <ContactFields
          prefix="tech"
          legend="Technical contact"
          contact={c.technical_contact}
          disabled={!editable}
        />
        <ContactFields
          prefix="sec"
          legend="Security contact"
          contact={c.security_contact}
          disabled={!editable}
        />
        <label for="webhook_urls">Production webhook URLs (https, one per line)</label>
        <textarea id="webhook_urls" name="webhook_urls" rows={3} disabled={!editable}>
          {(c.webhook_urls ?? []).join("\n")}
        </textarea>
        <label for="ip_allowlist">Addresses you call production from (CIDR, one per line)</label>
        <textarea id="ip_allowlist" name="ip_allowlist" rows={3} disabled={!editable}>
          {(c.ip_allowlist ?? []).join("\n")}
        </textarea>
        {editable ? (
          <button type="submit" class="primary">
            Save
          </button>
        ) : null}
      </form>
      <section aria-label="Documents">
        <h2>Documents</h2>
        <Table
          caption="Uploaded documents"
          columns={["Kind", "File", "Size", "Uploaded", editable && "Actions"]}
        >
          {a.documents.map((d) => (
            <tr>
              <td>{label(d.kind)}</td>
              <td>{d.filename}</td>
              <td>{Math.ceil(d.size / 1024)} KiB</td>
              <td>{timeOf(d.created_at)}</td>
              {editable ? (
                <td>
                  <ActionForm
                    action={`/portal/apply/application/${a.id}/documents/${d.id}/remove`}
                    csrf={props.csrf}
                    label="Remove"
                    danger
                    inline
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
        {editable ? (
          <form
            method="post"
            action={`/portal/apply/application/${a.id}/documents`}
            enctype="multipart/form-data"
            class="stack card"
          >
            <input type="hidden" name="csrf" value={props.csrf} />
            <input type="hidden" name="idempotency_key" value={crypto.randomUUID()} />
            <label for="kind">Kind</label>
            <select id="kind" name="kind">
              {DOCUMENT_KINDS.map((k) => (
                <option value={k}>{label(k)}</option>
              ))}
            </select>
            <label for="file">File (PDF, PNG or JPEG, up to 10 MiB)</label>
            <input id="file" name="file" type="file" required accept={DOCUMENT_TYPES.join(",")} />
            <button type="submit" class="primary">
              Upload
            </button>
          </form>
        ) : null}
      </section>
      {editable ? (
        <ActionForm
          action={`/portal/apply/application/${a.id}/submit`}
          csrf={props.csrf}
          label="Submit for review"
        />
      ) : null}
    </Layout>
  );
}
