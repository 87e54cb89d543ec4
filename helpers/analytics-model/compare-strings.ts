/** Code-unit order, the order the model returns rows in (not PostgreSQL's collation). */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
