import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { maskSecretSettings, redactSecrets } from "../../core/secrets.js";
import { describeError } from "../../core/errors.js";
import { withClusterSettings } from "../connect/cluster-settings.js";
import { registerStackSecrets } from "../stack/stack-secrets.js";
import { loadTarget } from "./target-file.js";

const SECRETS = {
  E2E_KAFKA_PASSWORD: "kafka-Pa55word-1",
  E2E_SR_PASSWORD: "registry-Pa55word-2",
  E2E_CONNECT_PASSWORD: "connect-Pa55word-3",
  E2E_KSQLDB_PASSWORD: "ksqldb-Pa55word-4",
  E2E_PG_SOURCE_PASSWORD: "source-Pa55word-5",
  E2E_PG_SINK_PASSWORD: "sink-Pa55word-6",
};

const TARGET = {
  name: "staging",
  namespacePrefix: "e2e",
  kafka: {
    bootstrapServers: "localhost:29092,localhost:29093",
    bootstrapServersInCluster: "kafka-1:9092,kafka-2:9092",
    securityProtocol: "SASL_PLAINTEXT",
    saslMechanism: "SCRAM-SHA-512",
    username: "e2e",
    passwordEnv: "E2E_KAFKA_PASSWORD",
    replicationFactor: 3,
  },
  schemaRegistry: {
    url: "http://localhost:28081",
    urlInCluster: "http://schema-registry:8081",
    username: "e2e",
    passwordEnv: "E2E_SR_PASSWORD",
  },
  connect: { urls: ["http://localhost:28083", "http://localhost:28084"], username: "e2e", passwordEnv: "E2E_CONNECT_PASSWORD" },
  ksqldb: { urls: ["http://localhost:28088"], username: "e2e", passwordEnv: "E2E_KSQLDB_PASSWORD" },
  postgres: {
    source: {
      host: "localhost",
      port: 25432,
      hostInCluster: "postgres",
      portInCluster: 5432,
      database: "app",
      user: "e2e_source",
      passwordEnv: "E2E_PG_SOURCE_PASSWORD",
    },
    sink: {
      host: "localhost",
      port: 25432,
      hostInCluster: "postgres",
      portInCluster: 5432,
      database: "reporting",
      user: "e2e_sink",
      passwordEnv: "E2E_PG_SINK_PASSWORD",
    },
  },
};

async function targetFile(content: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "ksql-e2e-target-")), "target.json");
  await writeFile(file, JSON.stringify(content));
  return file;
}

describe("a target file", () => {
  it("describes an existing deployment: addresses from the host and in the cluster, secrets from the environment", async () => {
    const target = await loadTarget(await targetFile(TARGET), SECRETS);
    expect(target.kind).toBe("target");
    expect(target.namespacePrefix).toBe("e2e");
    expect(target.kafka.security).toEqual({
      protocol: "SASL_PLAINTEXT",
      sasl: { mechanism: "SCRAM-SHA-512", username: "e2e", password: SECRETS.E2E_KAFKA_PASSWORD },
    });
    expect(target.kafka.replicationFactor).toBe(3);
    expect(target.connect).toEqual({
      urlFromHost: "http://localhost:28083",
      urlInNetwork: "http://localhost:28083",
      auth: { username: "e2e", password: SECRETS.E2E_CONNECT_PASSWORD },
    });
    expect(target.postgres.inNetwork).toMatchObject({
      host: "postgres",
      port: 5432,
      user: "e2e_source",
      sourceDatabase: "app",
      sinkDatabase: "reporting",
    });
    expect(target.postgres.inNetwork.sink).toEqual({
      host: "postgres",
      port: 5432,
      user: "e2e_sink",
      password: SECRETS.E2E_PG_SINK_PASSWORD,
    });
  });

  it("refuses a secret written into it, and names the variable a missing secret needs", async () => {
    const withPassword = { ...TARGET, connect: { ...TARGET.connect, password: "in-the-file" } };
    await expect(loadTarget(await targetFile(withPassword), SECRETS)).rejects.toThrow(
      /connect\.password secrets do not belong in the file: name the environment variable that holds it \(passwordEnv\)/,
    );
    const { E2E_KSQLDB_PASSWORD: _, ...without } = SECRETS;
    await expect(loadTarget(await targetFile(TARGET), without)).rejects.toThrow(
      /ksqldb\.passwordEnv names E2E_KSQLDB_PASSWORD, which is not set/,
    );
    await expect(loadTarget(await targetFile({ ...TARGET, namespacePrefix: "E2E-" }), SECRETS)).rejects.toThrow(
      /namespacePrefix 'E2E-' must be/,
    );
  });

  it("lets no secret of the target reach a message, a log line or a bundle's connector dump", async () => {
    const target = await loadTarget(await targetFile(TARGET), SECRETS);
    registerStackSecrets(target);
    const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64");
    // What a log or an error might carry: the passwords, an Authorization header, a URL with credentials.
    const leaky = [
      ...Object.values(SECRETS),
      `Authorization: Basic ${basic("e2e", SECRETS.E2E_CONNECT_PASSWORD)}`,
      `http://e2e:${encodeURIComponent(SECRETS.E2E_SR_PASSWORD)}@schema-registry:8081`,
      describeError(new Error(`login failed for e2e_source with ${SECRETS.E2E_PG_SOURCE_PASSWORD}`)),
    ].join("\n");
    const redacted = redactSecrets(leaky);
    for (const secret of Object.values(SECRETS)) expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(basic("e2e", SECRETS.E2E_CONNECT_PASSWORD));

    // A deployed sink's config carries the registry's credentials; the bundle writes it masked.
    const config = withClusterSettings(
      { "value.converter.schema.registry.url": "http://schema-registry:8081", "connection.password": SECRETS.E2E_PG_SINK_PASSWORD },
      { registryAuth: { username: "e2e", password: SECRETS.E2E_SR_PASSWORD } },
      "sink",
    );
    expect(config["value.converter.basic.auth.user.info"]).toBe(`e2e:${SECRETS.E2E_SR_PASSWORD}`);
    const dumped = JSON.stringify(maskSecretSettings(config));
    for (const secret of Object.values(SECRETS)) expect(dumped).not.toContain(secret);
  });
});
