/** A stored ISO time as the pages show it, to the minute in UTC; `absent` for none. */
export const timeOf = (iso: string | null | undefined, absent = "—") =>
  iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : absent;
