import { PostgreSqlContainer, StartedPostgreSqlContainer } from "@testcontainers/postgresql";
import { Wait } from "testcontainers";
import { randomPassword } from "./credentials.js";
import { timeouts } from "../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../core/wait/wait-until.js";
import { startOnPublishedPorts } from "./engine/published-ports.js";
import { unpublishedImagePorts } from "./image-ports.js";
import { LogTail } from "./log-tail.js";

const POSTGRES_PORT = 5432;
/** What psql meets while the server starts, restarts or recovers: the same statement succeeds a moment later. */
const NOT_ACCEPTING_YET = /recovery mode|is starting up|is shutting down|Connection refused|No such file or directory/;

export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly sourceDatabase: string;
  readonly sinkDatabase: string;
  /** Where the sink database lives and whom it admits, when not the source's server and role (an existing cluster). */
  readonly sink?: { readonly host: string; readonly port: number; readonly user: string; readonly password: string };
}

/** One database of an address: where it is, whom it admits. */
export interface DatabaseAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export function databaseOf(address: PostgresAddress, role: "source" | "sink"): DatabaseAddress {
  if (role === "source")
    return { host: address.host, port: address.port, user: address.user, password: address.password, database: address.sourceDatabase };
  const server = address.sink ?? address;
  return { host: server.host, port: server.port, user: server.user, password: server.password, database: address.sinkDatabase };
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
    const started = await startOnPublishedPorts(
      this.hostConfig,
      () => this.createdContainerId,
      () => super.start(),
      this.logTail,
    );
    try {
      await this.createSinkDatabase(started);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return new StartedCdcPostgresContainer(started, this.sinkDatabase, this.logTail);
  }

  /**
   * CREATE DATABASE, asked again while the server is not accepting statements yet: seen once on Docker, a server
   * process of the freshly started server died (exit code 2) and PostgreSQL went through crash recovery just after
   * the ready line the wait strategy counts, so the first psql met "the database system is in recovery mode".
   */
  private async createSinkDatabase(started: StartedPostgreSqlContainer): Promise<void> {
    const sql = `CREATE DATABASE "${this.sinkDatabase}"`;
    await waitUntil(
      async () => {
        const result = await started.exec(["psql", "-v", "ON_ERROR_STOP=1", "-U", started.getUsername(), "-d", "postgres", "-c", sql]);
        if (result.exitCode === 0) return ready(undefined);
        if (NOT_ACCEPTING_YET.test(result.output)) return notYet(result.output.trim());
        throw new GiveUp(`could not create sink database '${this.sinkDatabase}': ${result.output}`);
      },
      {
        what: `PostgreSQL to accept ${sql}`,
        expected: "CREATE DATABASE",
        whereToLook: "the PostgreSQL container's log (crash recovery, a server restarting)",
        timeoutMs: timeouts.operationMs,
      },
    );
  }

  /** The container of the latest start attempt: removed when a port conflict makes the start try again. */
  private createdContainerId: string | undefined;

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdContainerId = containerId;
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
