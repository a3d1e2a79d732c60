package io.sluice.cluster.config;

import static io.sluice.cluster.config.DurabilityConfig.KEY_PREFIX;
import static io.sluice.cluster.config.DurabilityConfig.MODE;
import static io.sluice.cluster.config.DurabilityConfig.REDIS_WAIT;
import static io.sluice.cluster.config.DurabilityConfig.RETENTION;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.time.Duration;
import java.util.Set;

/**
 * Reads the optional {@code durability:} section: {@code none}, {@code redis}, or a mapping with
 * {@code mode} and the other {@link DurabilityConfig} settings. Mode redis needs the Redis of the
 * {@code store:} section; its absence is reported at the line that asks for redis.
 */
final class DurabilityReader {
  private static final String SECTION = "durability";
  private static final Set<String> KEYS = Set.of(MODE, REDIS_WAIT, RETENTION, KEY_PREFIX);

  private final FieldReader fields;

  DurabilityReader(FieldReader fields) {
    this.fields = fields;
  }

  /** The durability settings, or null when a problem was recorded. */
  DurabilityConfig read(JsonNode root, StoreConfig store) {
    if (FieldReader.absent(root, SECTION)) {
      return DurabilityConfig.NONE;
    }
    JsonNode d = root.get(SECTION);
    DurabilityConfig config;
    JsonNode modeAt;
    String modeKey;
    if (d.isTextual()) {
      DurabilityConfig.Mode mode = mode(root, SECTION, d.asText());
      config = mode == null ? null : DurabilityConfig.of(mode);
      modeAt = root;
      modeKey = SECTION;
    } else if (d.isObject()) {
      config = object(d);
      modeAt = d;
      modeKey = MODE;
    } else {
      fields.problem(
          root,
          SECTION,
          SECTION,
          "'durability' must be none, redis or a mapping with keys "
              + String.join(", ", new java.util.TreeSet<>(KEYS))
              + ", got "
              + d.getNodeType());
      return null;
    }
    if (config != null && config.enabled() && store != null && store.redisUri().isEmpty()) {
      fields.problem(
          modeAt,
          modeKey,
          SECTION,
          "durability: redis needs store.redis, the Redis the journal is written to: add"
              + " 'redis: redis://HOST:PORT' to the store section");
      return null;
    }
    return config;
  }

  private DurabilityConfig object(JsonNode d) {
    int before = fields.problems().size();
    fields.checkKeys(d, KEYS, null, SECTION);
    String text = fields.text(d, MODE, SECTION, true);
    DurabilityConfig.Mode mode = text == null ? null : mode(d, MODE, text);
    Duration wait =
        fields.positiveDuration(d, REDIS_WAIT, SECTION, DurabilityConfig.DEFAULT_REDIS_WAIT);
    Duration retention =
        fields.positiveDuration(d, RETENTION, SECTION, DurabilityConfig.DEFAULT_RETENTION);
    String prefix =
        FieldReader.absent(d, KEY_PREFIX)
            ? DurabilityConfig.DEFAULT_KEY_PREFIX
            : fields.text(d, KEY_PREFIX, SECTION, false);
    if (fields.problems().size() > before || mode == null || wait == null || prefix == null) {
      return null;
    }
    try {
      return new DurabilityConfig(mode, wait, retention, prefix);
    } catch (IllegalArgumentException e) {
      fields.problem(
          d,
          KEY_PREFIX,
          SECTION,
          "'keyPrefix' must be non-empty without braces, got '" + prefix + "'");
      return null;
    }
  }

  private DurabilityConfig.Mode mode(JsonNode obj, String key, String text) {
    try {
      return DurabilityConfig.Mode.parse(text);
    } catch (IllegalArgumentException e) {
      fields.problem(obj, key, SECTION, "'" + key + "' must be none or redis, got " + text);
      return null;
    }
  }
}
