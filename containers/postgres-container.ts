import { PostgreSqlContainer, StartedPostgreSqlContainer } from "@testcontainers/postgresql";
import { Wait } from "testcontainers";
import { randomPassword } from "./credentials.js";
import { timeouts } from "../core/wait/timeout-policy.js";
import { publishPorts } from "./engine/published-ports.js";
import { unpublishedImagePorts } from "./image-ports.js";
import { LogTail } from "./log-tail.js";

const POSTGRES_PORT = 5432;

export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly sourceDatabase: string;
  readonly sinkDatabase: string;
}

/**
 * PostgreSQL prepared for change data capture: logical WAL, room for one replication slot per
 * scenario, and both the source and the sink database of the seed (`postgres` and `sink`).
 */
export class CdcPostgresContainer extends PostgreSqlContainer {
  private sinkDatabase = "sink";
  private maxReplicationSlots = 32;
  readonly logTail = new LogTail();

  constructor(private readonly image: string) {
    super(image);
    // A password of its own for every stack: nothing that leaks from one run opens another.
    this.withUsername("postgres").withPassword(randomPassword()).withDatabase("postgres");
    // Health checks never run under Podman without systemd; wait for the real server's
    // ready line (the official entrypoint prints it twice: init server, then real server).
    this.withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2));
    this.withStartupTimeout(timeouts.containerStartupMs);
    this.withLogConsumer(this.logTail.consumer);
  }

  withSinkDatabase(name: string): this {
    this.sinkDatabase = name;
    return this;
  }

  withMaxReplicationSlots(count: number): this {
    this.maxReplicationSlots = count;
    return this;
  }

  override async start(): Promise<StartedCdcPostgresContainer> {
    const slots = String(this.maxReplicationSlots);
    this.withCommand(["postgres", "-c", "wal_level=logical", "-c", `max_replication_slots=${slots}`, "-c", `max_wal_senders=${slots}`]);
    this.withExposedPorts(...(await unpublishedImagePorts(this.image, (port) => this.hasExposedPort(port))));
    await publishPorts(this.hostConfig);
    const started = await super.start();
    const result = await started.exec([
      "psql",
      "-v",
      "ON_ERROR_STOP=1",
      "-U",
      started.getUsername(),
      "-d",
      "postgres",
      "-c",
      `CREATE DATABASE "${this.sinkDatabase}"`,
    ]);
    if (result.exitCode !== 0) {
      await started.stop();
      throw new Error(`could not create sink database '${this.sinkDatabase}': ${result.output}`);
    }
    return new StartedCdcPostgresContainer(started, this.sinkDatabase, this.logTail);
  }
}

export class StartedCdcPostgresContainer extends StartedPostgreSqlContainer {
  constructor(
    started: StartedPostgreSqlContainer,
    readonly sinkDatabase: string,
    readonly logTail: LogTail,
  ) {
    super(started, started.getDatabase(), started.getUsername(), started.getPassword());
  }

  get sourceDatabase(): string {
    return this.getDatabase();
  }

  /** How tests on the host reach the server. */
  get fromHost(): PostgresAddress {
    return this.address(this.getHost(), this.getPort());
  }

  /** How other containers on the stack's network reach the server (Debezium, the JDBC sink). */
  inNetwork(alias: string): PostgresAddress {
    return this.address(alias, POSTGRES_PORT);
  }

  private address(host: string, port: number): PostgresAddress {
    return {
      host,
      port,
      user: this.getUsername(),
      password: this.getPassword(),
      sourceDatabase: this.sourceDatabase,
      sinkDatabase: this.sinkDatabase,
    };
  }
}
