/**
 * A structured row filter for sink reads, so a scenario can look only at its own rows
 * (e.g. product ids prefixed with its run id). Values always travel as query parameters.
 */
import { textOf } from "../../core/errors.js";

export type FilterValue = string | number | bigint | boolean;

export type SinkFilter =
  | { readonly column: string; readonly equals: FilterValue }
  | { readonly column: string; readonly in: readonly FilterValue[] }
  /** Literal prefix: `_` and `%` in it match themselves. */
  | { readonly column: string; readonly startsWith: string };

/** One filter, or several that must all hold. */
export type SinkWhere = SinkFilter | readonly SinkFilter[];

export interface WhereSql {
  /** Empty when there is no filter, else ` WHERE …` with $n placeholders. */
  readonly sql: string;
  readonly values: readonly unknown[];
}

type ParsedFilter =
  | { readonly column: string; readonly operator: "equals"; readonly value: FilterValue }
  | { readonly column: string; readonly operator: "in"; readonly values: readonly FilterValue[] }
  | { readonly column: string; readonly operator: "startsWith"; readonly prefix: string };

/** Lower-case names of the columns the filter reads. */
export function filterColumns(where: SinkWhere | undefined): string[] {
  return [...new Set(parseWhere(where).map((filter) => filter.column))];
}

/**
 * Builds the WHERE clause. `quoteColumn` maps a lower-case column name to the quoted identifier
 * of the real column; placeholders are numbered from `firstParameter`.
 */
export function buildWhereSql(where: SinkWhere | undefined, quoteColumn: (lowerName: string) => string, firstParameter = 1): WhereSql {
  const filters = parseWhere(where);
  if (filters.length === 0) return { sql: "", values: [] };
  const values: unknown[] = [];
  const placeholder = (value: unknown) => {
    values.push(value);
    return `$${firstParameter + values.length - 1}`;
  };
  const conditions = filters.map((filter) => {
    const column = quoteColumn(filter.column);
    switch (filter.operator) {
      case "equals":
        return `${column} = ${placeholder(asParameter(filter.value))}`;
      case "in":
        return `${column} = ANY(${placeholder(filter.values.map(asParameter))})`;
      case "startsWith":
        return `${column}::text LIKE ${placeholder(`${escapeLikePattern(filter.prefix)}%`)} ESCAPE '\\'`;
    }
  });
  return { sql: ` WHERE ${conditions.join(" AND ")}`, values };
}

/** Whether a row (lower-case column names) passes the filter, as the WHERE clause would decide it. */
export function matchesWhere(where: SinkWhere | undefined, row: Readonly<Record<string, unknown>>): boolean {
  return parseWhere(where).every((filter) => {
    const value = row[filter.column];
    if (value === null || value === undefined) return false;
    const text = textOf(value);
    switch (filter.operator) {
      case "equals":
        return text === String(filter.value);
      case "in":
        return filter.values.some((candidate) => text === String(candidate));
      case "startsWith":
        return text.startsWith(filter.prefix);
    }
  });
}

/** In words, for messages: `product_id starts with "s1a2_"`. */
export function describeWhere(where: SinkWhere | undefined): string {
  return parseWhere(where)
    .map((filter) => {
      switch (filter.operator) {
        case "equals":
          return `${filter.column} = ${showValue(filter.value)}`;
        case "in":
          return `${filter.column} in (${filter.values.map(showValue).join(", ")})`;
        case "startsWith":
          return `${filter.column} starts with ${JSON.stringify(filter.prefix)}`;
      }
    })
    .join(" and ");
}

export function escapeLikePattern(literal: string): string {
  return literal.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Validates filters (they may come from untyped callers) and lower-cases column names. */
function parseWhere(where: SinkWhere | undefined): ParsedFilter[] {
  if (where === undefined) return [];
  return (isFilterList(where) ? where : [where]).map(parseFilter);
}

function parseFilter(filter: SinkFilter): ParsedFilter {
  const shown = JSON.stringify(filter, jsonSafe);
  if (typeof filter !== "object" || filter === null || typeof filter.column !== "string" || filter.column === "") {
    throw new Error(`sink filter needs a column name: ${shown}`);
  }
  const column = filter.column.toLowerCase();
  const operators = (["equals", "in", "startsWith"] as const).filter((operator) => operator in filter);
  if (operators.length !== 1) {
    throw new Error(`sink filter on "${filter.column}" needs exactly one of equals, in, startsWith; got ${shown}`);
  }
  if ("equals" in filter) {
    if (!isFilterValue(filter.equals))
      throw new Error(`sink filter on "${filter.column}": 'equals' needs a string, number, bigint or boolean`);
    return { column, operator: "equals", value: filter.equals };
  }
  if ("in" in filter) {
    if (!Array.isArray(filter.in) || !filter.in.every(isFilterValue)) {
      throw new Error(`sink filter on "${filter.column}": 'in' needs an array of strings, numbers, bigints or booleans`);
    }
    return { column, operator: "in", values: filter.in };
  }
  if (typeof filter.startsWith !== "string") throw new Error(`sink filter on "${filter.column}": 'startsWith' needs a string`);
  return { column, operator: "startsWith", prefix: filter.startsWith };
}

function isFilterValue(value: unknown): value is FilterValue {
  return ["string", "number", "bigint", "boolean"].includes(typeof value);
}

function isFilterList(where: SinkWhere): where is readonly SinkFilter[] {
  return Array.isArray(where);
}

// Sent as text: pg's array serialisation of bigint differs between versions.
function asParameter(value: FilterValue): string | number | boolean {
  return typeof value === "bigint" ? value.toString() : value;
}

function showValue(value: FilterValue): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}
