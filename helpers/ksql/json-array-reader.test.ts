import { describe, expect, it } from "vitest";
import { JsonArrayReader } from "./json-array-reader.js";
import { ShapeError } from "./json-shape.js";

describe("JsonArrayReader", () => {
  it("yields each element as soon as it is complete, across arbitrary chunk boundaries", () => {
    const text = '[{"queryId":"q1","columnNames":["A","B"]},[1,"x]"],[2,"say \\"hi\\", {"],\n[3,null]]';
    for (const size of [1, 2, 5, 13, text.length]) {
      const reader = new JsonArrayReader();
      const elements: unknown[] = [];
      for (let i = 0; i < text.length; i += size) elements.push(...reader.push(text.slice(i, i + size)));
      expect(elements).toEqual([{ queryId: "q1", columnNames: ["A", "B"] }, [1, "x]"], [2, 'say "hi", {'], [3, null]]);
      expect(reader.isComplete).toBe(true);
    }
  });

  it("reports an open array as incomplete and reads scalar elements", () => {
    const reader = new JsonArrayReader();
    expect(reader.push(' [ 1, "two" , true')).toEqual([1, "two"]);
    expect(reader.isComplete).toBe(false);
    expect(reader.push("]")).toEqual([true]);
    expect(reader.isComplete).toBe(true);
    expect(new JsonArrayReader().push("[]")).toEqual([]);
  });

  it("rejects a body that is not an array", () => {
    expect(() => new JsonArrayReader().push('{"@type":"generic_error"}')).toThrow(ShapeError);
  });
});
