export const USAGE = `ksql-e2e: run the pipeline stack (PostgreSQL, Kafka, Schema Registry, Kafka Connect, ksqlDB)
outside a test run, so that tests reuse it and you can look inside.

  ksql-e2e up [--ksqldb required|off]   (default: E2E_KSQLDB, else required)
      Starts the stack and leaves it running; prints every address and how to connect, and
      writes them to the state file. Ctrl-C while starting removes whatever has started.
  ksql-e2e status
      Checks that every service answers and prints the connectors' states.
  ksql-e2e apply <file>...
      Deploys connector JSON files ({"name", "config"}) and runs ksqlDB .sql files, in order.
  ksql-e2e seed <fixture> [--schema demo] [--replace]
  ksql-e2e seed --list
      Writes a fixture's bank events into a schema of the source database, and a Debezium source
      connector for that schema next to the state file (deploy it with 'apply').
  ksql-e2e down [--stack <id>]
      Removes the stack's containers, network and volumes, and the state file. With --stack, what
      an interrupted start of that stack left behind (no state file needed).

State file: .e2e/stack.json in the repository, or E2E_STACK_FILE. While it exists and its stack
answers, 'npx vitest run --project scenarios' reuses the stack instead of starting one.
Run through npm: npm run e2e -- <command>`;
