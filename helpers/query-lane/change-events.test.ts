import { describe, expect, it } from "vitest";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import { sourceTablesOf } from "../pipeline/source-tables.js";
import { CapturedTables } from "./change-events.js";

const DDL = `
CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(10,2) DEFAULT 0, opened timestamp DEFAULT now());
CREATE TABLE notes (id int PRIMARY KEY, body text);
CREATE TABLE audit (id int PRIMARY KEY, what text);
ALTER TABLE notes REPLICA IDENTITY FULL;
`;
const tables = sourceTablesOf(splitStatements(DDL, "schema.sql"));
const T0 = Date.UTC(2026, 0, 1, 9);

function captured(): CapturedTables {
  return new CapturedTables(tables, new Set(["accounts", "notes"]));
}

describe("the change events Debezium would send", () => {
  it("sends rows written before the connector starts as one snapshot, last one marked, and nothing for uncaptured tables", () => {
    const db = captured();
    expect(db.apply({ table: "accounts", op: "insert", row: { id: 1, owner: "kim" } }, T0)).toEqual([]);
    db.apply({ table: "accounts", op: "update", row: { id: 1, balance: "5.00" } }, T0 + 1);
    db.apply({ table: "notes", op: "insert", row: { id: 7, body: "hi" } }, T0 + 2);
    db.apply({ table: "audit", op: "insert", row: { id: 1, what: "x" } }, T0 + 3);
    const snapshot = db.snapshot(T0 + 10);
    expect(snapshot.map((e) => [e.table, e.op, e.snapshot, e.at])).toEqual([
      ["accounts", "r", "true", T0 + 10],
      ["notes", "r", "last", T0 + 10],
    ]);
    expect(snapshot[0]?.after).toEqual({ id: 1, owner: "kim", balance: "5.00", opened: new Date(T0) });
  });

  it("fills left-out columns from their DEFAULT, else NULL, as PostgreSQL would", () => {
    const db = captured();
    db.snapshot(T0);
    const [event] = db.apply({ table: "notes", op: "insert", row: { id: 1 } }, T0);
    expect(event?.after).toEqual({ id: 1, body: null });
    const [account] = db.apply({ table: "accounts", op: "insert", row: { id: 2, owner: "lee" } }, T0 + 5);
    expect(account?.after).toMatchObject({ balance: "0", opened: new Date(T0 + 5) });
  });

  it("gives updates no before and deletes only the key, unless the table's replica identity is FULL", () => {
    const db = captured();
    db.snapshot(T0);
    db.apply({ table: "accounts", op: "insert", row: { id: 1, owner: "kim", balance: "1.00" } }, T0);
    db.apply({ table: "notes", op: "insert", row: { id: 1, body: "a" } }, T0);
    const [update] = db.apply({ table: "accounts", op: "update", row: { id: 1, balance: "2.00" } }, T0 + 1);
    expect(update).toMatchObject({ op: "u", before: null, after: { id: 1, owner: "kim", balance: "2.00" }, snapshot: "false" });
    const [deleted] = db.apply({ table: "accounts", op: "delete", row: { id: 1 } }, T0 + 2);
    expect(deleted).toMatchObject({ op: "d", key: { id: 1 }, before: { id: 1, owner: null, balance: null, opened: null }, after: null });
    const [noteUpdate] = db.apply({ table: "notes", op: "update", row: { id: 1, body: "b" } }, T0 + 3);
    expect(noteUpdate?.before).toEqual({ id: 1, body: "a" });
    const [noteDelete] = db.apply({ table: "notes", op: "delete", row: { id: 1 } }, T0 + 4);
    expect(noteDelete?.before).toEqual({ id: 1, body: "b" });
    expect(db.rowsOf("notes")).toEqual([]);
  });

  it("refuses what PostgreSQL refuses, naming the table and the key or column", () => {
    const db = captured();
    db.apply({ table: "notes", op: "insert", row: { id: 1 } }, T0);
    expect(() => db.apply({ table: "notes", op: "insert", row: { id: 1 } }, T0)).toThrow(
      /insert into notes: a row with key \{"id":1\} exists already/,
    );
    expect(() => db.apply({ table: "notes", op: "update", row: { id: 2, body: "x" } }, T0)).toThrow(/update of notes: no row with key/);
    expect(() => db.apply({ table: "notes", op: "insert", row: { id: 3, colour: "red" } }, T0)).toThrow(
      /no column 'colour' \(columns: id, body\)/,
    );
    expect(() => db.apply({ table: "notes", op: "delete", row: { body: "x" } }, T0)).toThrow(/lacks key column id/);
    expect(() => db.apply({ table: "missing", op: "insert", row: { id: 1 } }, T0)).toThrow(
      /no source table 'missing'.*accounts, notes, audit/,
    );
  });
});
