/**
 * Exactly `x.toLocaleString("en-US")`, without Intl: the shortest decimal form of the number,
 * rounded half away from zero to at most three decimals, digits grouped by three. The first Intl
 * call in a process loads ICU's number data (about 20 ms), more than the rest of `advise --format
 * json` spends on formatting; exponent forms (below 1e-6, from 1e21) are left to Intl.
 */
export function formatNumber(x: number): string {
  const text = String(Math.abs(x));
  if (!Number.isFinite(x) || text.includes("e")) return x.toLocaleString("en-US");
  const [whole, fraction = ""] = text.split(".") as [string, string?];
  let digits = whole + fraction.slice(0, 3).padEnd(3, "0");
  if (fraction.charCodeAt(3) >= 53 /* "5" */) digits = incremented(digits);
  const grouped = digits.slice(0, -3).replace(/\B(?=(\d{3})+$)/g, ",");
  const decimals = digits.slice(-3).replace(/0+$/, "");
  return `${x < 0 || Object.is(x, -0) ? "-" : ""}${grouped}${decimals === "" ? "" : `.${decimals}`}`;
}

/** A string of decimal digits plus one. */
function incremented(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === "9") i--;
  return i < 0 ? `1${"0".repeat(digits.length)}` : `${digits.slice(0, i)}${Number(digits[i]) + 1}${"0".repeat(digits.length - i - 1)}`;
}
