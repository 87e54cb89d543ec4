import { describe, expect, it } from "vitest";
import { maskSecretSettings, redactSecrets, registerSecret } from "./secrets.js";

describe("secrets", () => {
  it("masks every registered value wherever it appears, URL-encoded too", () => {
    registerSecret("s3cr3t/value+x");
    expect(redactSecrets("url postgresql://u:s3cr3t/value+x@h/db and s3cr3t%2Fvalue%2Bx")).toBe("url postgresql://u:****@h/db and ****");
  });

  it("ignores values too short to be secrets, which would mask ordinary text", () => {
    registerSecret("ab");
    expect(redactSecrets("a tab")).toBe("a tab");
  });

  it("masks password-like settings of a configuration by name", () => {
    expect(
      maskSecretSettings({ "connection.password": "p", "database.password": "p", "sasl.jaas.config.token": "t", topics: "a" }),
    ).toEqual({ "connection.password": "****", "database.password": "****", "sasl.jaas.config.token": "****", topics: "a" });
  });
});
