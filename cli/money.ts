/**
 * Money as the API holds it — `{amount, currency}`, `amount` an integer number of
 * minor units — shown and read as people write it ("19.00 EUR"). Only integer and
 * string arithmetic: no amount ever goes through floating point. Pure (no Node, no
 * DOM): the web console formats money with the same functions.
 */

export interface MoneyLike {
  amount: number;
  currency: string;
}

/** ISO 4217 currencies whose minor unit is not 1/100 (all others have two decimals). */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Decimals of `currency`'s minor unit (2 unless ISO 4217 says otherwise). */
export const minorDigits = (currency: string): number => EXPONENTS[currency.toUpperCase()] ?? 2;

/** `amount` minor units as a decimal string: 1900 EUR → "19.00", -5 EUR → "-0.05", 1900 JPY → "1900". */
export function formatAmount(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) return String(amount);
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  if (!digits) return `${sign}${text}`;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** "19.00 EUR" (or "—" for no money). */
export function formatMoney(money: MoneyLike | undefined | null): string {
  if (!money) return '—';
  return `${formatAmount(money.amount, money.currency)} ${money.currency}`;
}

/** Amounts in several currencies, one after the other: "19.00 EUR + 5.00 USD" ("0" for none). */
export const formatTotals = (totals: readonly MoneyLike[]): string => (totals.length ? totals.map(formatMoney).join(' + ') : '0');

/**
 * Minor units of a decimal amount written in `currency`'s major unit: "19" → 1900,
 * "19.5" → 1950, "0.04" → 4 (EUR). Undefined when `text` is not such an amount (more
 * decimals than the currency has, a sign, an exponent, a thousands separator).
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const found = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!found) return undefined;
  const [, whole, fraction = ''] = found;
  if (fraction.length > digits) return undefined;
  const minor = BigInt(whole!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}

/** "19.00 EUR", "EUR 19.00" or "19 eur" → `{amount: 1900, currency: "EUR"}`; undefined when it is none of these. */
export function parseMoney(text: string): MoneyLike | undefined {
  const found = /^\s*(?:([A-Za-z]{3})\s*([\d.]+)|([\d.]+)\s*([A-Za-z]{3}))\s*$/.exec(text);
  if (!found) return undefined;
  const currency = (found[1] ?? found[4])!.toUpperCase();
  const amount = parseAmount((found[2] ?? found[3])!, currency);
  return amount === undefined ? undefined : { amount, currency };
}

/** Basis points as a percentage: 1250 → "12.5 %", 2000 → "20 %", 5 → "0.05 %". */
export function percent(basisPoints: number): string {
  const text = String(Math.abs(basisPoints)).padStart(3, '0');
  const fraction = text.slice(-2).replace(/0+$/, '');
  return `${basisPoints < 0 ? '-' : ''}${text.slice(0, -2)}${fraction ? `.${fraction}` : ''} %`;
}

/** "12.5", "12.5%" or "12.5 %" → 1250 basis points; undefined when it is not a percentage from 0 to 100 with at most two decimals. */
export function parsePercent(text: string): number | undefined {
  const found = /^\s*(\d+)(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!found) return undefined;
  const basisPoints = Number(found[1]) * 100 + Number((found[2] ?? '').padEnd(2, '0'));
  return basisPoints <= 10_000 ? basisPoints : undefined;
}
