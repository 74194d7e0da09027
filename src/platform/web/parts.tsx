/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/**
 * A table of the web interfaces: a caption, column headers, a line when empty. On a small screen it
 * scrolls sideways in its own region, which the keyboard can reach and scroll (named by the caption).
 */
export function Table<T>(props: {
  caption: string;
  /** The column heads; a falsy one (a column the reader's role does not see) is left out. */
  columns: readonly (string | false | null | undefined)[];
  /** The rows as records and how each is drawn, or as `children`. */
  rows?: readonly T[];
  row?: (item: T) => Child;
  children?: Child;
  empty?: string;
  id?: string;
}) {
  const columns = props.columns.filter((c): c is string => Boolean(c));
  const rows = props.rows ?? [];
  return (
    <section class="table-wrap" aria-label={props.caption} tabindex={0}>
      <table {...(props.id ? { id: props.id } : {})}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows && rows.length === 0 && props.empty ? (
            <tr>
              <td colspan={columns.length}>{props.empty}</td>
            </tr>
          ) : null}
          {props.row ? rows.map(props.row) : null}
          {props.children}
        </tbody>
      </table>
    </section>
  );
}

/** A GET form that narrows a list: its fields, and one button. */
export function Filters(props: { action: string; label: string; button: string; children: Child }) {
  return (
    <form method="get" action={props.action} class="filters card" aria-label={props.label}>
      {props.children}
      <button type="submit" class="primary">
        {props.button}
      </button>
    </form>
  );
}

/** A labelled choice of a filter form; `options` are `[value, text]`. */
export function Select(props: {
  id: string;
  label: string;
  options: readonly (readonly [string, string])[];
  selected: string;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.selected === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
