import { describe, expect, it } from "vitest";
import { fillTemplate } from "./template.js";

describe("fillTemplate", () => {
  it("fills every placeholder", () => {
    expect(fillTemplate("CREATE SCHEMA ${schema}; -- ${schema}", { schema: "s1" }, "x.sql")).toBe("CREATE SCHEMA s1; -- s1");
  });

  it("names the placeholders that have no value and the file", () => {
    expect(() => fillTemplate("${a} ${b} ${c}", { a: "1" }, "fixtures/x.sql")).toThrow(
      "fixtures/x.sql: no value for placeholder(s) ${b}, ${c}",
    );
  });
});
