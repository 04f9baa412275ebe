/**
 * Ticket numbers owners can quote on the phone: the property's short code and a per-property
 * sequence, e.g. `HG-0042`. Parsing is forgiving because owners type them by hand.
 */

export function formatTicketNumber(propertyCode: string, seq: number): string {
  return `${propertyCode.toUpperCase()}-${String(seq).padStart(4, "0")}`;
}

/** "hg-42", "HG0042", " hg 0042 " → "HG-0042"; anything else → null. */
export function parseTicketNumber(input: string): string | null {
  const m = /^\s*#?([A-Za-z]{1,6})[\s\-_#]*0*(\d{1,9})\s*$/.exec(input);
  if (!m) return null;
  return formatTicketNumber(m[1]!, Number(m[2]));
}
