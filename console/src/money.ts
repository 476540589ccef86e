/**
 * Money as the console shows it ("19.00 EUR", from integer minor units, never through
 * floating point): the CLI's own pure functions, so both print an amount the same way.
 */
export { formatAmount, formatMoney, formatTotals, percent } from '../../cli/money';
