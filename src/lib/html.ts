/** Text for an HTML page or attribute: the five characters that could open markup, as entities. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
