export const USAGE = `ksql-e2e: set up a pipeline repository, record its expected tables, and run the pipeline stack
(PostgreSQL, Kafka, Schema Registry, Kafka Connect, ksqlDB) outside a test run, so that tests reuse it and you
can look inside.

  ksql-e2e init --from <folder> [--name <pipeline>]
      Scaffolds this folder as a pipeline repository: fixtures/<pipeline>/pipeline.ts pointing at your files
      under <folder> (source DDL, the Debezium source connector JSON, ksqlDB .sql, JDBC sink JSONs), one
      scenario, its recorded tables, vitest.config.ts, package.json scripts, .gitignore. Lists every file it
      could not use, with the reason; never overwrites a file.
  ksql-e2e record [<scenario file>...]
      Runs the scenarios with E2E_RECORD=1: run.expectRecordedTables() writes the sink tables the run left as
      the scenario's expected tables. Review the diff, then commit it.
  ksql-e2e check <pipeline.ts>...
      Loads a pipeline definition and checks its files without a stack: every file read, every statement
      split, every name namespaced; prints the warnings a run would print.

  ksql-e2e doctor
      Checks in a few seconds what a first run needs: Node.js, the container engine (kind, version, where it
      publishes ports), every image (present or pullable, with the variable that changes it), the Connect
      plugins (cached, or how they will be fetched), free memory, the state file. Each failure says its fix;
      exit code 0 when a run can start.
  ksql-e2e up [--ksqldb required|off]   (default: E2E_KSQLDB, else required)
      Starts the stack and leaves it running; prints every address and how to connect, and
      writes them to the state file. Ctrl-C while starting removes whatever has started.
  ksql-e2e status
      Checks that every service answers and prints the connectors' states.
  ksql-e2e apply <file>... [--as <id>] [--story <name>] [--pipeline <name>]
      Deploys, in order: connector JSON files ({"name", "config"}) and ksqlDB .sql files as they
      are, and pipeline definitions (.ts, e.g. fixtures/shop/pipeline.ts) under the namespace <id>
      (default demo): source tables in schema <id>, the source connector, the story's rows, the
      ksqlDB statements, the sinks. Every file is checked before anything is deployed.
  ksql-e2e seed <pipeline.ts> <story> [--as <id>]
  ksql-e2e seed <pipeline.ts> --list
      Writes one of the definition's stories into the source tables of an applied pipeline.
  ksql-e2e remove <pipeline.ts> [--as <id>]
      Removes everything apply created for that pipeline and namespace.
  ksql-e2e topic <topic> [--last <n>]
      Prints a topic's last records (default 10), decoded.
  ksql-e2e table <table> [--source]
      Prints a table of the sink database (--source: the source database) as PostgreSQL's text.
  ksql-e2e down [--stack <id>]
      Removes the stack's containers, network and volumes, and the state file. With --stack, what
      an interrupted start of that stack left behind (no state file needed).

State file: .e2e/stack.json in the working directory, or E2E_STACK_FILE. While it exists and its stack
answers, 'npx vitest run --project scenarios' reuses the stack instead of starting one.
Run through npm: npm run e2e -- <command>`;
