import axios from "axios";
import { expect, it } from "vitest";
import { describeWithKsqlDb } from "../support/ksqldb.js";

describeWithKsqlDb("smoke: ksqlDB", (ksqldb) => {
  it("answers /info with its Kafka cluster id", async () => {
    const info = await axios.get<{ KsqlServerInfo: { version: string; kafkaClusterId: string } }>(`${ksqldb.urlFromHost}/info`);
    expect(info.data.KsqlServerInfo.kafkaClusterId).toEqual(expect.any(String));
  });
});
