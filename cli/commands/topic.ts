import { parseArgs } from "node:util";
import { formatRecords } from "../../helpers/diagnostics/record-json.js";
import { kafkaClient, recordDecoder } from "../../helpers/stack/clients.js";
import { TopicReader } from "../../helpers/topics/topic-reader.js";
import { requireStackState } from "./require-state.js";

/** Prints the last records of a topic, decoded (Avro through the registry, else JSON or text). */
export async function topic(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { last: { type: "string", default: "10" } } });
  const [name] = positionals;
  if (name === undefined)
    throw new Error("topic: name a topic ('npm run e2e -- status' lists the stack; topics of an applied pipeline are printed by apply)");
  const last = Number(values.last);
  if (!Number.isInteger(last) || last <= 0) throw new Error(`--last '${values.last}' must be a positive whole number`);
  const { state } = await requireStackState();
  const kafka = kafkaClient(state.endpoints, "ksql-e2e-topic");
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(name)) {
      const near = topics.filter((t) => !t.startsWith("_")).sort();
      throw new Error(`topic '${name}' does not exist; topics: ${near.join(", ") || "none"}`);
    }
  } finally {
    await admin.disconnect();
  }
  const records = await new TopicReader(kafka, recordDecoder(state.endpoints)).readAll(name);
  console.log(formatRecords(name, records.slice(-last), records.length));
  return 0;
}
