package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.time.Duration;
import java.util.Set;

/**
 * Reads the optional {@code progress:} section ({@code off}, {@code on}, or a mapping with {@code
 * interval} and {@code buffer}) and the optional {@code logs:} section ({@code entrySize}, {@code
 * instances}, {@code totalSize}).
 */
final class ProgressReader {
  private final FieldReader fields;

  ProgressReader(FieldReader fields) {
    this.fields = fields;
  }

  /** The progress settings, or null when a problem was recorded. */
  ProgressConfig progress(JsonNode root) {
    if (FieldReader.absent(root, "progress")) {
      return ProgressConfig.DEFAULT;
    }
    JsonNode p = root.get("progress");
    if (p.isTextual() && (p.asText().equals("off") || p.asText().equals("on"))) {
      return p.asText().equals("off") ? ProgressConfig.OFF : ProgressConfig.DEFAULT;
    }
    if (p.isBoolean()) { // YAML 1.1 reads a bare off/on as a boolean
      return p.asBoolean() ? ProgressConfig.DEFAULT : ProgressConfig.OFF;
    }
    if (!p.isObject()) {
      fields.problem(
          root,
          "progress",
          "progress",
          "'progress' must be off, on or a mapping with keys buffer, interval, got " + p);
      return null;
    }
    fields.checkKeys(p, Set.of("interval", "buffer"), null, "progress");
    Duration interval =
        fields.positiveDuration(p, "interval", "progress", ProgressConfig.DEFAULT_INTERVAL);
    Integer buffer =
        FieldReader.absent(p, "buffer")
            ? Integer.valueOf(ProgressConfig.DEFAULT_BUFFER)
            : fields.count(p, "buffer", "progress", 1);
    return interval == null || buffer == null ? null : new ProgressConfig(true, interval, buffer);
  }

  /** The logs settings, or null when a problem was recorded. */
  LogsConfig logs(JsonNode root) {
    JsonNode l = fields.object(root, "logs", "logs", false);
    if (l == null) {
      return FieldReader.absent(root, "logs") ? LogsConfig.DEFAULT : null;
    }
    fields.checkKeys(l, Set.of("entrySize", "instances", "totalSize"), null, "logs");
    Long entry = fields.bytes(l, "entrySize", "logs", LogsConfig.DEFAULT_ENTRY_BYTES);
    if (entry != null && entry > Integer.MAX_VALUE) {
      fields.problem(l, "entrySize", "logs", "'entrySize' must be at most 2 GiB - 1, got " + entry);
      entry = null;
    }
    Integer instances =
        FieldReader.absent(l, "instances")
            ? Integer.valueOf(LogsConfig.DEFAULT_INSTANCES)
            : fields.count(l, "instances", "logs", 1);
    Long total = fields.bytes(l, "totalSize", "logs", LogsConfig.DEFAULT_TOTAL_BYTES);
    if (entry != null && total != null && total < entry) {
      fields.problem(
          l, "totalSize", "logs", "'totalSize' must be at least entrySize (" + entry + " bytes)");
      total = null;
    }
    return entry == null || instances == null || total == null
        ? null
        : new LogsConfig(entry, instances, total);
  }
}
