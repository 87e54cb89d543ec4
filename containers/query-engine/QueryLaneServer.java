// The queries lane's engine: ksqlDB's own testing engine (ksqldb-testing-tool: the ksqlDB engine over Kafka Streams'
// TopologyTestDriver, no broker, no registry) behind one HTTP endpoint, one JVM for every case of a run.
//
//   POST /run   {"sql": "<a ksqlDB test file: --@test: name, SET, CREATE …>",
//                "inputs": [{"topic": "…", "key": {…} | null, "value": {…}, "timestamp": ms}], "topics": ["…"]}
//   200         {"topics": {"<topic>": [{"key": {…} | null, "window": {"start": ms, "end": ms} | absent,
//                                        "value": {…} | null, "timestamp": ms}]}}
//            or {"error": "<what the engine refused, with its causes>"}
//   GET /health 200 "ok"
//
// The statements run first; then each input record is piped into its topic, in order (typed by the columns of the
// stream declared on that topic: DECIMAL as text, TIMESTAMP as epoch millis, DATE and TIME as ISO text, BYTES as hex,
// STRUCT as an object), through the queries, as Kafka would deliver it to them. An INSERT … VALUES per record would
// cost the engine a code generation each. Every record each query wrote to a topic is returned, in order, with its columns named as ksqlDB names them; the
// harness folds them into the sink's final table. Values: DECIMAL as text, BIGINT as a number (as text beyond 2^53),
// TIMESTAMP as epoch millis, DATE and TIME as ISO text, BYTES as \x hex, STRUCT and MAP as objects, ARRAY as arrays.
//
// Built against ksqlDB 8.1.0 (compiled by the harness from this file). It reads the executor's record pipeline
// through reflection: the testing tool keeps it private, and offers only assertions on it.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.confluent.ksql.GenericKey;
import io.confluent.ksql.GenericRow;
import io.confluent.ksql.engine.KsqlEngine;
import io.confluent.ksql.metastore.model.DataSource;
import io.confluent.ksql.schema.ksql.Column;
import io.confluent.ksql.schema.ksql.SchemaConverters;
import io.confluent.ksql.schema.ksql.types.SqlArray;
import io.confluent.ksql.schema.ksql.types.SqlDecimal;
import io.confluent.ksql.schema.ksql.types.SqlMap;
import io.confluent.ksql.schema.ksql.types.SqlStruct;
import io.confluent.ksql.schema.ksql.types.SqlType;
import io.confluent.ksql.tools.test.SqlTestExecutor;
import io.confluent.ksql.tools.test.parser.SqlTestLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.test.TestRecord;

public final class QueryLaneServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long SAFE_INTEGER = 9007199254740991L;

  private QueryLaneServer() {}

  public static void main(final String[] args) throws IOException {
    final int port = Integer.parseInt(args.length > 0 ? args[0] : "8099");
    final int threads = Integer.parseInt(args.length > 1 ? args[1] : "2");
    final HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
    server.createContext("/health", exchange -> respond(exchange, 200, "ok".getBytes(StandardCharsets.UTF_8)));
    server.createContext("/run", QueryLaneServer::run);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.start();
    System.out.println("query lane ready on port " + port);
  }

  private static void run(final HttpExchange exchange) throws IOException {
    ObjectNode answer;
    try {
      final JsonNode request = JSON.readTree(exchange.getRequestBody());
      answer = execute(request.get("sql").asText(), request.path("inputs"), request.get("topics"));
    } catch (final Throwable error) {
      answer = NODES.objectNode().put("error", describe(error));
    }
    respond(exchange, 200, JSON.writeValueAsBytes(answer));
  }

  private static ObjectNode execute(final String sql, final JsonNode inputs, final JsonNode topics) throws Exception {
    final Path tmp = Files.createTempDirectory("query-lane");
    try (SqlTestExecutor executor = SqlTestExecutor.create(tmp)) {
      final List<SqlTestLoader.SqlTest> tests = SqlTestLoader.loadTest(sql);
      if (tests.size() != 1) throw new IllegalArgumentException("expected one test in the request, got " + tests.size());
      executor.executeTest(tests.get(0));
      final Object pipeline = field(executor, "driverPipeline");
      final KsqlEngine engine = (KsqlEngine) field(executor, "engine");
      final Method allRecords = pipeline.getClass().getMethod("getAllRecordsForTopic", String.class);
      final Method pipeInput = pipeline.getClass().getMethod("pipeInput", String.class, GenericKey.class, GenericRow.class, long.class);
      for (final JsonNode input : inputs) {
        final String topic = input.get("topic").asText();
        final DataSource source = sourceWriting(engine, topic);
        final GenericKey key = GenericKey.fromList(javaValues(source.getSchema().key(), input.get("key")));
        final GenericRow value = GenericRow.fromList(javaValues(source.getSchema().value(), input.get("value")));
        pipeInput.invoke(pipeline, topic, key, value, input.get("timestamp").asLong());
      }
      final ObjectNode byTopic = NODES.objectNode();
      for (final JsonNode topicNode : topics) {
        final String topic = topicNode.asText();
        final DataSource source = sourceWriting(engine, topic);
        final ArrayNode records = byTopic.putArray(topic);
        for (final Object item : (List<?>) allRecords.invoke(pipeline, topic)) {
          records.add(record((TestRecord<?, ?>) item, source));
        }
      }
      return NODES.objectNode().set("topics", byTopic);
    } finally {
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static List<Object> javaValues(final List<Column> columns, final JsonNode node) {
    final List<Object> values = new ArrayList<>();
    for (final Column column : columns) values.add(java(node == null ? null : node.get(column.name().text()), column.type()));
    return values;
  }

  /** A JSON value as ksqlDB holds a value of the SQL type in its rows. */
  private static Object java(final JsonNode node, final SqlType type) {
    if (node == null || node.isNull()) return null;
    switch (type.baseType()) {
      case BOOLEAN:
        return node.asBoolean();
      case INTEGER:
        return node.asInt();
      case BIGINT:
        return node.isTextual() ? Long.parseLong(node.asText()) : node.asLong();
      case DOUBLE:
        return node.asDouble();
      case DECIMAL:
        return new BigDecimal(node.asText()).setScale(((SqlDecimal) type).getScale(), RoundingMode.HALF_UP);
      case STRING:
        return node.asText();
      case TIMESTAMP:
        return new Timestamp(node.asLong());
      case DATE:
        return new Date(LocalDate.parse(node.asText()).toEpochDay() * 86_400_000L);
      case TIME:
        return new Time(LocalTime.parse(node.asText()).toNanoOfDay() / 1_000_000L);
      case BYTES:
        return ByteBuffer.wrap(HexFormat.of().parseHex(node.asText().replaceFirst("^\\\\x", "")));
      case ARRAY: {
        final List<Object> list = new ArrayList<>();
        for (final JsonNode element : node) list.add(java(element, ((SqlArray) type).getItemType()));
        return list;
      }
      case MAP: {
        final Map<Object, Object> map = new LinkedHashMap<>();
        final SqlMap mapType = (SqlMap) type;
        node.fields().forEachRemaining(entry -> map.put(entry.getKey(), java(entry.getValue(), mapType.getValueType())));
        return map;
      }
      case STRUCT: {
        final Struct struct = new Struct(SchemaConverters.sqlToConnectConverter().toConnectSchema(type));
        for (final SqlStruct.Field field : ((SqlStruct) type).fields()) {
          struct.put(field.name(), java(node.get(field.name()), field.type()));
        }
        return struct;
      }
      default:
        throw new IllegalArgumentException("the lane cannot make a value of type " + type);
    }
  }

  private static DataSource sourceWriting(final KsqlEngine engine, final String topic) {
    return engine.getMetaStore().getAllDataSources().values().stream()
        .filter(source -> source.getKafkaTopicName().equals(topic))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stream or table of the statements writes topic " + topic));
  }

  private static ObjectNode record(final TestRecord<?, ?> record, final DataSource source) {
    final ObjectNode node = NODES.objectNode();
    Object key = record.key();
    if (key instanceof Windowed<?> windowed) {
      node.putObject("window").put("start", windowed.window().start()).put("end", windowed.window().end());
      key = windowed.key();
    }
    node.set("key", key instanceof GenericKey genericKey ? columns(source.getSchema().key(), genericKey.values()) : NODES.nullNode());
    final Object value = record.value();
    node.set("value", value instanceof GenericRow row ? columns(source.getSchema().value(), row.values()) : NODES.nullNode());
    node.put("timestamp", record.timestamp());
    return node;
  }

  private static JsonNode columns(final List<Column> columns, final List<?> values) {
    final ObjectNode node = NODES.objectNode();
    for (int i = 0; i < columns.size() && i < values.size(); i++) node.set(columns.get(i).name().text(), json(values.get(i)));
    return node;
  }

  private static JsonNode json(final Object value) {
    if (value == null) return NODES.nullNode();
    if (value instanceof BigDecimal decimal) return NODES.textNode(decimal.toPlainString());
    if (value instanceof Long number) return Math.abs(number) <= SAFE_INTEGER ? NODES.numberNode(number) : NODES.textNode(number.toString());
    if (value instanceof Integer number) return NODES.numberNode(number);
    if (value instanceof Double number) return number.isNaN() || number.isInfinite() ? NODES.textNode(number.toString()) : NODES.numberNode(number);
    if (value instanceof Boolean bool) return NODES.booleanNode(bool);
    if (value instanceof String text) return NODES.textNode(text);
    if (value instanceof Timestamp timestamp) return NODES.numberNode(timestamp.getTime());
    if (value instanceof Date date) return NODES.textNode(LocalDate.ofEpochDay(Math.floorDiv(date.getTime(), 86_400_000L)).toString());
    if (value instanceof Time time) return NODES.textNode(LocalTime.ofNanoOfDay(time.getTime() * 1_000_000L).toString());
    if (value instanceof ByteBuffer bytes) return NODES.textNode(hex(bytes));
    if (value instanceof Struct struct) {
      final ObjectNode node = NODES.objectNode();
      for (final org.apache.kafka.connect.data.Field field : struct.schema().fields()) node.set(field.name(), json(struct.get(field)));
      return node;
    }
    if (value instanceof List<?> list) {
      final ArrayNode node = NODES.arrayNode();
      for (final Object element : list) node.add(json(element));
      return node;
    }
    if (value instanceof Map<?, ?> map) {
      final ObjectNode node = NODES.objectNode();
      for (final Map.Entry<?, ?> entry : map.entrySet()) node.set(String.valueOf(entry.getKey()), json(entry.getValue()));
      return node;
    }
    return NODES.textNode(value.toString());
  }

  private static String hex(final ByteBuffer buffer) {
    final ByteBuffer bytes = buffer.duplicate();
    final StringBuilder text = new StringBuilder("\\x");
    while (bytes.hasRemaining()) text.append(String.format("%02x", bytes.get()));
    return text.toString();
  }

  private static Object field(final Object owner, final String name) throws ReflectiveOperationException {
    final Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static String describe(final Throwable error) {
    final StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) text.append("\nCaused by: ").append(cause.getMessage());
    }
    if (text.toString().equals("null")) {
      final StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      return trace.toString();
    }
    return text.toString();
  }

  private static void respond(final HttpExchange exchange, final int status, final byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
