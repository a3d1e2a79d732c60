package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the optional {@code store:} section. */
final class StoreReader {
  private static final Set<String> KEYS =
      Set.of("mode", "memoryBudget", "inlineThreshold", "redis");
  private static final String SECTION = "store";

  private final FieldReader fields;

  StoreReader(FieldReader fields) {
    this.fields = fields;
  }

  StoreSettings read(JsonNode root) {
    JsonNode s = fields.object(root, "store", SECTION, false);
    if (s == null) {
      return StoreSettings.DEFAULT;
    }
    fields.checkKeys(s, KEYS, null, SECTION);
    StoreSettings d = StoreSettings.DEFAULT;
    String mode = fields.text(s, "mode", SECTION, false);
    mode = mode == null ? d.mode() : mode;
    if (!List.of(StoreSettings.MODES).contains(mode)) {
      fields.problem(s, "mode", SECTION, "'mode' must be memory, redis or tiered, got " + mode);
      mode = null;
    }
    Long budget = fields.bytes(s, "memoryBudget", SECTION, d.memoryBudgetBytes());
    if (budget != null && budget == 0) {
      fields.problem(s, "memoryBudget", SECTION, "'memoryBudget' must be more than 0 bytes");
      budget = null;
    }
    Long inline = fields.bytes(s, "inlineThreshold", SECTION, d.inlineThresholdBytes());
    Optional<URI> redis = redis(s);
    if (redis == null) {
      return null;
    }
    if ("redis".equals(mode) && redis.isEmpty()) {
      fields.problem(s, null, SECTION, "mode redis needs 'redis: redis://HOST:PORT'");
      return null;
    }
    return mode == null || budget == null || inline == null
        ? null
        : new StoreSettings(mode, budget, inline, redis);
  }

  private Optional<URI> redis(JsonNode s) {
    String text = fields.text(s, "redis", SECTION, false);
    if (text == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text);
      StoreSettings.checkRedisUri(uri);
      return Optional.of(uri);
    } catch (URISyntaxException | IllegalArgumentException e) {
      fields.problem(
          s, "redis", SECTION, "'redis' must look like redis://HOST:PORT, got '" + text + "'");
      return null;
    }
  }
}
