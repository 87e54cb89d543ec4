import { describe, expect, it } from "vitest";
import { Connector } from "./connector.js";

describe("Connector", () => {
  it("reads the {name, config} JSON users deploy, with numbers and booleans as strings", () => {
    const c = Connector.fromJson('{"name":"src","config":{"connector.class":"X","tasks.max":1,"slot.drop.on.stop":true}}');
    expect(c.name).toBe("src");
    expect(c.config).toEqual({ "connector.class": "X", "tasks.max": "1", "slot.drop.on.stop": "true" });
  });

  it("reads a bare config too (what PUT /connectors/<name>/config takes), named by its own name or its file", () => {
    expect(Connector.fromJson('{"connector.class":"X","topics":"t"}', "connect/sink-revenue.json").name).toBe("sink-revenue");
    const named = Connector.fromJson('{"name":"revenue","connector.class":"X"}', "connect/a.json");
    expect(named.name).toBe("revenue");
    expect(named.config).toEqual({ "connector.class": "X" });
  });

  it("names the file when the JSON is wrong", () => {
    expect(() => Connector.fromJson("{", "fixtures/connectors/x.json")).toThrow(/fixtures\/connectors\/x.json is not valid JSON/);
    expect(() => Connector.fromJson('{"config":{}}', "x.json")).toThrow('x.json has no string "name"');
    expect(() => Connector.fromJson('{"name":"a","config":{}}', "x.json")).toThrow("connector 'a' has no connector.class");
  });

  it("makes changed copies without touching the original", () => {
    const c = new Connector("a", { "connector.class": "X", a: "1" });
    expect(c.with({ b: 2 }).without("a").config).toEqual({ "connector.class": "X", b: "2" });
    expect(c.config).toEqual({ "connector.class": "X", a: "1" });
  });
});
