/** Rows or ids one statement carries: well under every dialect's bind-parameter limit for the few columns each has. */
export const rowsPerStatement = 500;

/** Splits items into statement-sized pages, in order. */
export function chunk<T>(items: readonly T[], size = rowsPerStatement): T[][] {
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages;
}
