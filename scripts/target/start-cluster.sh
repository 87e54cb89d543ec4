#!/usr/bin/env bash
# Starts a secured cluster the harness did not start, from the same images, for the target pass:
#   3 KRaft brokers (broker and controller each), SASL/PLAIN on every listener, ACLs: the service principals are
#     super users; User:e2e may use only topics and groups prefixed e2e (and describe what Connect and ksqlDB keep
#     for its connectors and queries); User:e2e-readonly may only read them; User:tenant has its own prefix;
#   Schema Registry with HTTP basic auth;
#   2 Kafka Connect workers in one group, REST basic auth (Kafka's BasicAuthSecurityRestExtension);
#   2 ksqlDB servers with one service id, basic auth;
#   PostgreSQL with wal_level=logical, a non-superuser replication role for the source and a plain role for the sink.
# Writes, into $TARGET_RUN_DIR (default scripts/target/run): target.json and target-readonly.json (E2E_TARGET
# files), secrets.env (every password, random, mode 0600: source it), and the cluster's config files.
# Usage: start-cluster.sh (the E2E_*_IMAGE variables of standins/images.env, or the official images).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cli=${CONTAINER_CLI:-podman}
run=${TARGET_RUN_DIR:-$here/run}
net=ksql-e2e-target
label=ksql-pipeline-e2e.target=1
base=${TARGET_PORT_BASE:-29000}
cp_version=${E2E_CP_VERSION:-8.1.0}
kafka_image=${E2E_KAFKA_IMAGE:-confluentinc/cp-kafka:$cp_version}
registry_image=${E2E_SCHEMA_REGISTRY_IMAGE:-confluentinc/cp-schema-registry:$cp_version}
ksqldb_image=${E2E_KSQLDB_IMAGE:-confluentinc/cp-ksqldb-server:$cp_version}
postgres_image=${E2E_POSTGRES_IMAGE:-postgres:17}
cluster_id=5L6g3nShT-eMCtK--X86sw
service_id=target_ksql_

mkdir -p "$run"/{kafka,registry,connect,ksqldb,postgres}
chmod 700 "$run"
secret() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20; }
declare -A pw
for who in admin schema_registry connect ksqldb e2e e2e_readonly tenant pg_super pg_source pg_sink pg_tenant; do pw[$who]=$(secret); done

plain_jaas() { echo "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$1\" password=\"$2\";"; }

# --- secrets.env: what the runs read (E2E_TARGET files name these variables) ---
umask 077
cat >"$run/secrets.env" <<EOF
E2E_TARGET_KAFKA_PASSWORD=${pw[e2e]}
E2E_TARGET_KAFKA_READONLY_PASSWORD=${pw[e2e_readonly]}
E2E_TARGET_REST_PASSWORD=${pw[e2e]}
E2E_TARGET_PG_SOURCE_PASSWORD=${pw[pg_source]}
E2E_TARGET_PG_SINK_PASSWORD=${pw[pg_sink]}
TARGET_ADMIN_KAFKA_PASSWORD=${pw[admin]}
TARGET_TENANT_PASSWORD=${pw[tenant]}
TARGET_TENANT_PG_PASSWORD=${pw[pg_tenant]}
EOF

# --- Kafka: one JAAS file for every listener, the admin client's properties for kafka-acls ---
{
  echo "KafkaServer {"
  echo "  org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"${pw[admin]}\""
  echo "  user_admin=\"${pw[admin]}\" user_schema-registry=\"${pw[schema_registry]}\" user_connect=\"${pw[connect]}\""
  echo "  user_ksqldb=\"${pw[ksqldb]}\" user_e2e=\"${pw[e2e]}\" user_e2e-readonly=\"${pw[e2e_readonly]}\" user_tenant=\"${pw[tenant]}\";"
  echo "};"
} >"$run/kafka/kafka_server_jaas.conf"
cat >"$run/kafka/admin.properties" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=$(plain_jaas admin "${pw[admin]}")
EOF
# --- REST basic auth: Jetty's property files (Schema Registry, ksqlDB), Kafka's (Connect) ---
printf 'e2e: %s,user\ntenant: %s,user\nksqldb: %s,user\n' "${pw[e2e]}" "${pw[tenant]}" "${pw[ksqldb]}" >"$run/registry/passwords"
printf 'SchemaRegistry {\n  org.eclipse.jetty.security.jaas.spi.PropertyFileLoginModule required file="/etc/schema-registry/secrets/passwords" debug="false";\n};\n' >"$run/registry/jaas.conf"
printf 'e2e: %s,user\ntenant: %s,user\n' "${pw[e2e]}" "${pw[tenant]}" >"$run/ksqldb/passwords"
printf 'KsqlServer-Props {\n  org.eclipse.jetty.security.jaas.spi.PropertyFileLoginModule required file="/etc/ksqldb/secrets/passwords" debug="false";\n};\n' >"$run/ksqldb/jaas.conf"
printf 'e2e=%s\ntenant=%s\n' "${pw[e2e]}" "${pw[tenant]}" >"$run/connect/users.properties"
printf 'KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required file="/etc/kafka-connect/secrets/users.properties";\n};\n' >"$run/connect/jaas.conf"
cat >"$run/postgres/roles.sql" <<EOF
CREATE ROLE e2e_source LOGIN REPLICATION PASSWORD '${pw[pg_source]}';
GRANT CREATE ON DATABASE postgres TO e2e_source;
CREATE DATABASE sink;
CREATE ROLE e2e_sink LOGIN PASSWORD '${pw[pg_sink]}';
CREATE ROLE tenant LOGIN PASSWORD '${pw[pg_tenant]}';
\\connect sink
GRANT CREATE, USAGE ON SCHEMA public TO e2e_sink, tenant;
EOF
umask 022
# The containers run as their images' users: the mounted files must be readable by them.
chmod -R a+rX "$run/kafka" "$run/registry" "$run/connect" "$run/ksqldb" "$run/postgres"

"$cli" network create --label "$label" "$net" >/dev/null
start() { # start <name> <run options…> <image> [command…]
  local name=$1
  shift
  # --no-healthcheck: waits below ask each service directly (Podman without systemd cannot run image health checks).
  "$cli" run -d --no-healthcheck --name "$name" --hostname "$name" --network "$net" --network-alias "$name" --label "$label" "$@" >/dev/null
}

sasl_env() { # the client side of a service principal, as <PREFIX>SECURITY_PROTOCOL etc.
  echo "-e ${1}SECURITY_PROTOCOL=SASL_PLAINTEXT -e ${1}SASL_MECHANISM=PLAIN"
}
bootstrap=kafka-1:9092,kafka-2:9092,kafka-3:9092

for i in 1 2 3; do
  start "kafka-$i" -p "127.0.0.1:$((base + 91 + i)):19092" \
    -v "$run/kafka:/etc/kafka/secrets:ro" \
    -e KAFKA_NODE_ID=$i -e KAFKA_PROCESS_ROLES=broker,controller -e CLUSTER_ID=$cluster_id \
    -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093 \
    -e KAFKA_LISTENERS=INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093 \
    -e KAFKA_ADVERTISED_LISTENERS=INTERNAL://kafka-$i:9092,EXTERNAL://localhost:$((base + 91 + i)) \
    -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT \
    -e KAFKA_INTER_BROKER_LISTENER_NAME=INTERNAL -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER \
    -e KAFKA_SASL_ENABLED_MECHANISMS=PLAIN -e KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL=PLAIN \
    -e KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL=PLAIN \
    -e KAFKA_AUTHORIZER_CLASS_NAME=org.apache.kafka.metadata.authorizer.StandardAuthorizer \
    -e "KAFKA_SUPER_USERS=User:admin;User:schema-registry;User:connect;User:ksqldb" \
    -e KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND=false \
    -e KAFKA_OPTS=-Djava.security.auth.login.config=/etc/kafka/secrets/kafka_server_jaas.conf \
    -e "KAFKA_HEAP_OPTS=-Xms256m -Xmx512m" \
    -e KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS=9223372036854775807 \
    "$kafka_image"
done

start postgres -p "127.0.0.1:$((base + 432)):5432" \
  -e POSTGRES_PASSWORD="${pw[pg_super]}" -v "$run/postgres/roles.sql:/docker-entrypoint-initdb.d/roles.sql:ro" \
  "$postgres_image" -c wal_level=logical -c max_replication_slots=40 -c max_wal_senders=40

wait_for() { # wait_for <what> <command...>: polls the command under a deadline, then shows the log of $what
  local what=$1 deadline=$((SECONDS + ${TARGET_START_TIMEOUT_S:-240}))
  shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      echo "target cluster: $what is not ready after ${TARGET_START_TIMEOUT_S:-240} s; its log:" >&2
      "$cli" logs --tail 40 "$what" >&2 || true
      return 1
    fi
    if [[ $("$cli" inspect -f '{{.State.Running}}' "$what" 2>/dev/null) != true ]]; then
      echo "target cluster: $what exited; its log:" >&2
      "$cli" logs --tail 40 "$what" >&2 || true
      return 1
    fi
    sleep 1 # polling interval of a deadline-bound wait
  done
}
acl() { "$cli" exec kafka-1 kafka-acls --bootstrap-server kafka-1:9092 --command-config /etc/kafka/secrets/admin.properties --add "$@" >/dev/null; }

wait_for kafka-1 "$cli" exec kafka-1 kafka-acls --bootstrap-server kafka-1:9092 --command-config /etc/kafka/secrets/admin.properties --list
# User:e2e: everything under its prefix; describe (offsets) of what Connect and ksqlDB keep for its connectors and queries.
acl --allow-principal User:e2e --operation All --topic e2e --resource-pattern-type prefixed
acl --allow-principal User:e2e --operation All --group e2e --resource-pattern-type prefixed
acl --allow-principal User:e2e --operation Describe --operation Delete --group connect-e2e --resource-pattern-type prefixed
acl --allow-principal User:e2e --operation Describe --group "_confluent-ksql-${service_id}" --resource-pattern-type prefixed
acl --allow-principal User:e2e --operation Describe --topic "_confluent-ksql-${service_id}" --resource-pattern-type prefixed
# User:e2e-readonly: may read the run's topics, not create them (doctor --target must say so).
acl --allow-principal User:e2e-readonly --operation Describe --operation Read --topic e2e --resource-pattern-type prefixed
acl --allow-principal User:e2e-readonly --operation Describe --operation Read --group e2e --resource-pattern-type prefixed
acl --allow-principal User:tenant --operation All --topic tenant --resource-pattern-type prefixed
acl --allow-principal User:tenant --operation All --group tenant --resource-pattern-type prefixed

start schema-registry -p "127.0.0.1:$((base + 81)):8081" \
  -v "$run/registry:/etc/schema-registry/secrets:ro" \
  -e SCHEMA_REGISTRY_HOST_NAME=schema-registry -e SCHEMA_REGISTRY_LISTENERS=http://0.0.0.0:8081 \
  -e SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS="SASL_PLAINTEXT://kafka-1:9092,SASL_PLAINTEXT://kafka-2:9092,SASL_PLAINTEXT://kafka-3:9092" \
  $(sasl_env SCHEMA_REGISTRY_KAFKASTORE_) \
  -e SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG="$(plain_jaas schema-registry "${pw[schema_registry]}")" \
  -e SCHEMA_REGISTRY_AUTHENTICATION_METHOD=BASIC -e SCHEMA_REGISTRY_AUTHENTICATION_REALM=SchemaRegistry \
  -e SCHEMA_REGISTRY_AUTHENTICATION_ROLES=user \
  -e SCHEMA_REGISTRY_OPTS=-Djava.security.auth.login.config=/etc/schema-registry/secrets/jaas.conf \
  -e "SCHEMA_REGISTRY_HEAP_OPTS=-Xmx256m" \
  "$registry_image"

connect_image=$(cd "$repo" && node --import tsx scripts/target/connect-image.ts)
for i in 1 2; do
  start "connect-$i" -p "127.0.0.1:$((base + 82 + i)):8083" \
    -v "$run/connect:/etc/kafka-connect/secrets:ro" \
    -e CONNECT_BOOTSTRAP_SERVERS=$bootstrap -e CONNECT_REST_ADVERTISED_HOST_NAME="connect-$i" -e CONNECT_REST_PORT=8083 \
    -e CONNECT_GROUP_ID=target-connect -e CONNECT_CONFIG_STORAGE_TOPIC=_target-connect-configs \
    -e CONNECT_OFFSET_STORAGE_TOPIC=_target-connect-offsets -e CONNECT_STATUS_STORAGE_TOPIC=_target-connect-status \
    -e CONNECT_KEY_CONVERTER=org.apache.kafka.connect.json.JsonConverter \
    -e CONNECT_VALUE_CONVERTER=org.apache.kafka.connect.json.JsonConverter \
    $(sasl_env CONNECT_) -e CONNECT_SASL_JAAS_CONFIG="$(plain_jaas connect "${pw[connect]}")" \
    $(sasl_env CONNECT_PRODUCER_) -e CONNECT_PRODUCER_SASL_JAAS_CONFIG="$(plain_jaas connect "${pw[connect]}")" \
    $(sasl_env CONNECT_CONSUMER_) -e CONNECT_CONSUMER_SASL_JAAS_CONFIG="$(plain_jaas connect "${pw[connect]}")" \
    $(sasl_env CONNECT_ADMIN_) -e CONNECT_ADMIN_SASL_JAAS_CONFIG="$(plain_jaas connect "${pw[connect]}")" \
    -e CONNECT_REST_EXTENSION_CLASSES=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension \
    -e KAFKA_OPTS=-Djava.security.auth.login.config=/etc/kafka-connect/secrets/jaas.conf \
    -e CONNECT_OFFSET_FLUSH_INTERVAL_MS=1000 -e CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS=0 \
    -e CONNECT_PLUGIN_DISCOVERY=service_load -e "KAFKA_HEAP_OPTS=-Xmx512m" \
    "$connect_image"
done

for i in 1 2; do
  start "ksqldb-$i" -p "127.0.0.1:$((base + 87 + i)):8088" \
    -v "$run/ksqldb:/etc/ksqldb/secrets:ro" \
    -e KSQL_LISTENERS=http://0.0.0.0:8088 -e KSQL_KSQL_ADVERTISED_LISTENER="http://ksqldb-$i:8088" \
    -e KSQL_BOOTSTRAP_SERVERS=$bootstrap -e KSQL_KSQL_SERVICE_ID=$service_id \
    $(sasl_env KSQL_) -e KSQL_SASL_JAAS_CONFIG="$(plain_jaas ksqldb "${pw[ksqldb]}")" \
    -e KSQL_KSQL_SCHEMA_REGISTRY_URL=http://schema-registry:8081 \
    -e KSQL_KSQL_SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE=USER_INFO \
    -e KSQL_KSQL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO="ksqldb:${pw[ksqldb]}" \
    -e KSQL_AUTHENTICATION_METHOD=BASIC -e KSQL_AUTHENTICATION_REALM=KsqlServer-Props -e KSQL_AUTHENTICATION_ROLES=user \
    -e KSQL_OPTS=-Djava.security.auth.login.config=/etc/ksqldb/secrets/jaas.conf \
    -e KSQL_KSQL_INTERNAL_TOPIC_REPLICAS=3 -e KSQL_KSQL_STREAMS_REPLICATION_FACTOR=3 \
    -e KSQL_KSQL_LOGGING_PROCESSING_TOPIC_REPLICATION_FACTOR=3 \
    -e KSQL_KSQL_STREAMS_SESSION_TIMEOUT_MS=6000 -e KSQL_KSQL_STREAMS_HEARTBEAT_INTERVAL_MS=1500 \
    -e "KSQL_HEAP_OPTS=-Xmx512m" \
    "$ksqldb_image"
done

rest_ok() { curl -sf -u "e2e:${pw[e2e]}" "$1" >/dev/null; }
wait_for schema-registry rest_ok "http://127.0.0.1:$((base + 81))/subjects"
for i in 1 2; do wait_for "connect-$i" rest_ok "http://127.0.0.1:$((base + 82 + i))/connectors"; done
for i in 1 2; do wait_for "ksqldb-$i" rest_ok "http://127.0.0.1:$((base + 87 + i))/info"; done
wait_for postgres "$cli" exec postgres psql -U postgres -d sink -c "SELECT 1 FROM pg_roles WHERE rolname = 'tenant'"

target_json() { # target_json <kafka user> <kafka password variable>
  cat <<EOF
{
  "name": "ksql-e2e-target (3 brokers, SASL/PLAIN, ACLs)",
  "namespacePrefix": "e2e",
  "jdbcSink": "confluent",
  "kafka": {
    "bootstrapServers": "localhost:$((base + 92)),localhost:$((base + 93)),localhost:$((base + 94))",
    "bootstrapServersInCluster": "$bootstrap",
    "securityProtocol": "SASL_PLAINTEXT",
    "saslMechanism": "PLAIN",
    "username": "$1",
    "passwordEnv": "$2",
    "replicationFactor": 3
  },
  "schemaRegistry": { "url": "http://127.0.0.1:$((base + 81))", "urlInCluster": "http://schema-registry:8081", "username": "e2e", "passwordEnv": "E2E_TARGET_REST_PASSWORD" },
  "connect": { "urls": ["http://127.0.0.1:$((base + 83))", "http://127.0.0.1:$((base + 84))"], "username": "e2e", "passwordEnv": "E2E_TARGET_REST_PASSWORD" },
  "ksqldb": { "urls": ["http://127.0.0.1:$((base + 88))", "http://127.0.0.1:$((base + 89))"], "username": "e2e", "passwordEnv": "E2E_TARGET_REST_PASSWORD" },
  "postgres": {
    "source": { "host": "127.0.0.1", "port": $((base + 432)), "hostInCluster": "postgres", "portInCluster": 5432, "database": "postgres", "user": "e2e_source", "passwordEnv": "E2E_TARGET_PG_SOURCE_PASSWORD" },
    "sink": { "host": "127.0.0.1", "port": $((base + 432)), "hostInCluster": "postgres", "portInCluster": 5432, "database": "sink", "user": "e2e_sink", "passwordEnv": "E2E_TARGET_PG_SINK_PASSWORD" }
  }
}
EOF
}
target_json e2e E2E_TARGET_KAFKA_PASSWORD >"$run/target.json"
target_json e2e-readonly E2E_TARGET_KAFKA_READONLY_PASSWORD >"$run/target-readonly.json"
echo "target cluster up: E2E_TARGET=$run/target.json (secrets in $run/secrets.env)"
