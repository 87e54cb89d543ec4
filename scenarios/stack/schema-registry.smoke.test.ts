import { randomUUID } from "node:crypto";
import axios from "axios";
import { describe, expect, inject, it } from "vitest";

const CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";

describe("smoke: Schema Registry speaks the Confluent REST API", () => {
  const stack = inject("stack");
  const registry = axios.create({ baseURL: stack.schemaRegistry.urlFromHost, headers: { "Content-Type": CONFLUENT_JSON } });

  it("returns a registered Avro schema by its id", async () => {
    const subject = `smoke-${randomUUID()}-value`;
    const schema = {
      type: "record",
      name: "Deposit",
      namespace: "smoke",
      fields: [
        { name: "account_id", type: "string" },
        { name: "amount", type: "int" },
      ],
    };
    try {
      const registered = await registry.post<{ id: number }>(`/subjects/${subject}/versions`, { schema: JSON.stringify(schema) });
      expect(registered.data.id).toEqual(expect.any(Number));

      const byId = await registry.get<{ schema: string }>(`/schemas/ids/${registered.data.id}`);
      expect(JSON.parse(byId.data.schema)).toEqual(schema);

      const subjects = await registry.get<string[]>("/subjects");
      expect(subjects.data).toContain(subject);
    } finally {
      // Soft delete, then hard delete: the registry keeps soft-deleted subjects.
      await registry.delete(`/subjects/${subject}`, { validateStatus: () => true });
      await registry.delete(`/subjects/${subject}?permanent=true`, { validateStatus: () => true });
    }
  });
});
