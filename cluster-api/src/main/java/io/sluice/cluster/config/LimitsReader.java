package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.util.Set;

/**
 * Reads the optional {@code limits:} section ({@link LimitsConfig}); unknown keys are refused, an
 * absent key keeps its default.
 */
final class LimitsReader {
  static final Set<String> KEYS =
      Set.of(
          "definitionSize",
          "nodes",
          "inputSize",
          "eventSize",
          "eventsPerSecond",
          "eventBurst",
          "instancesPerWorkflow",
          "grpcMessageSize",
          "heldEventsPerInstance");
  private static final String S = "limits";
  private final FieldReader fields;

  LimitsReader(FieldReader fields) {
    this.fields = fields;
  }

  /** The limits, or null when a problem was recorded. */
  LimitsConfig read(JsonNode root) {
    JsonNode l = fields.object(root, S, S, false);
    if (l == null) {
      return FieldReader.absent(root, S) ? LimitsConfig.DEFAULT : null;
    }
    LimitsConfig d = LimitsConfig.DEFAULT;
    fields.checkKeys(l, KEYS, null, S);
    Long definition = positiveBytes(l, "definitionSize", d.definitionBytes());
    Integer nodes = count(l, "nodes", 1, d.nodes());
    Long input = positiveBytes(l, "inputSize", d.inputBytes());
    Long event = positiveBytes(l, "eventSize", d.eventBytes());
    Double rate = d.eventsPerSecond();
    if (!FieldReader.absent(l, "eventsPerSecond")) {
      rate = fields.number(l, "eventsPerSecond", S);
      if (rate != null && !(rate >= 0 && rate <= 1e9)) {
        fields.problem(
            l, "eventsPerSecond", S, "'eventsPerSecond' must be 0 (no limit) .. 1e9, got " + rate);
        rate = null;
      }
    }
    Integer burst = count(l, "eventBurst", 1, d.eventBurst());
    Integer instances = count(l, "instancesPerWorkflow", 0, d.instancesPerWorkflow());
    Integer held = count(l, "heldEventsPerInstance", 0, d.heldEventsPerInstance());
    Long grpc = fields.bytes(l, "grpcMessageSize", S, d.grpcMessageBytes());
    if (grpc != null && (grpc < LimitsConfig.MIN_GRPC_MESSAGE_BYTES || grpc > Integer.MAX_VALUE)) {
      fields.problem(
          l, "grpcMessageSize", S, "'grpcMessageSize' must be 1 MiB .. 2 GiB - 1, got " + grpc);
      grpc = null;
    }
    if (definition == null
        || nodes == null
        || input == null
        || event == null
        || rate == null
        || burst == null
        || instances == null
        || grpc == null
        || held == null) {
      return null;
    }
    return new LimitsConfig(
        definition, nodes, input, event, rate, burst, instances, grpc.intValue(), held);
  }

  private Long positiveBytes(JsonNode l, String key, long orElse) {
    Long v = fields.bytes(l, key, S, orElse);
    if (v != null && v < 1) {
      fields.problem(l, key, S, "'" + key + "' must be at least 1 byte, got " + v);
      return null;
    }
    return v;
  }

  private Integer count(JsonNode l, String key, int min, int orElse) {
    return FieldReader.absent(l, key) ? Integer.valueOf(orElse) : fields.count(l, key, S, min);
  }
}
