// Card number helpers. A full number (PAN) is only ever held in memory: what is kept,
// shown or logged is its first 6 and last 4 digits.

/** The Luhn (mod 10) check every card number passes. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export const first6 = (pan: string) => pan.slice(0, 6);
export const last4 = (pan: string) => pan.slice(-4);

/** `860000******1234`: the only form a card number takes in a message. */
export const maskedPan = (first: string, last: string) => `${first}******${last}`;
