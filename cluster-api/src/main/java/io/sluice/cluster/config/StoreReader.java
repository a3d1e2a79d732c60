package io.sluice.cluster.config;

import static io.sluice.cluster.config.StoreConfig.BUDGET_CAP;
import static io.sluice.cluster.config.StoreConfig.BUDGET_FLOOR;
import static io.sluice.cluster.config.StoreConfig.CHUNK_SIZE;
import static io.sluice.cluster.config.StoreConfig.GRANTED_MEMORY_PER_SLOT;
import static io.sluice.cluster.config.StoreConfig.INLINE_THRESHOLD;
import static io.sluice.cluster.config.StoreConfig.KEY_PREFIX;
import static io.sluice.cluster.config.StoreConfig.MAX_VALUE_SIZE;
import static io.sluice.cluster.config.StoreConfig.MEMORY_BUDGET;
import static io.sluice.cluster.config.StoreConfig.MODE;
import static io.sluice.cluster.config.StoreConfig.PEER_PUSH_MAX;
import static io.sluice.cluster.config.StoreConfig.RECLAIM_FROM_CONTAINERS;
import static io.sluice.cluster.config.StoreConfig.RECLAIM_RATIO;
import static io.sluice.cluster.config.StoreConfig.REDIS;
import static io.sluice.cluster.config.StoreConfig.REDIS_TIMEOUT;
import static io.sluice.cluster.config.StoreConfig.SLOTS;
import static io.sluice.cluster.config.StoreConfig.TTL;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.function.Consumer;

/**
 * Reads the optional {@code store:} section straight into a {@link StoreConfig}: the keys are
 * {@link StoreConfig#KEYS}, absent ones keep StoreConfig's defaults, and a value that breaks one of
 * StoreConfig's rules is reported at its key's line.
 */
final class StoreReader {
  private static final String SECTION = "store";

  private static final java.util.Set<String> REDIS_KEYS =
      java.util.Set.of("uri", "username", "passwordFile", "tls", "caFile");

  private final FieldReader fields;
  private final String configFile;

  /** {@code configFile}: relative password and CA files start at its folder. */
  StoreReader(FieldReader fields, String configFile) {
    this.fields = fields;
    this.configFile = configFile;
  }

  /** The store settings, or null when a problem was recorded. */
  StoreConfig read(JsonNode root) {
    if (FieldReader.absent(root, SECTION)) {
      return StoreConfig.DEFAULT;
    }
    JsonNode s = fields.object(root, SECTION, SECTION, false);
    if (s == null) {
      return null;
    }
    int before = fields.problems().size();
    fields.checkKeys(s, new LinkedHashSet<>(StoreConfig.KEYS), null, SECTION);
    StoreConfig.Builder b = StoreConfig.builder();
    String mode = fields.text(s, MODE, SECTION, false);
    if (mode != null) {
      try {
        b.mode(StoreMode.parse(mode));
      } catch (IllegalArgumentException e) {
        fields.problem(s, MODE, SECTION, "'mode' must be memory, redis or tiered, got " + mode);
      }
    }
    set(fields.bytes(s, MEMORY_BUDGET, SECTION), b::budget);
    Boolean fromContainers = fields.bool(s, RECLAIM_FROM_CONTAINERS, SECTION);
    if (Boolean.TRUE.equals(fromContainers)) {
      fromContainers(s, b);
    } else {
      for (String key : new String[] {BUDGET_FLOOR, BUDGET_CAP}) {
        if (!FieldReader.absent(s, key)) {
          fields.problem(
              s,
              key,
              SECTION,
              "'" + key + "' applies only with '" + RECLAIM_FROM_CONTAINERS + ": true'");
        }
      }
      reclaimable(s, b);
    }
    set(fields.bytes(s, CHUNK_SIZE, SECTION), b::chunkSize);
    set(fields.bytes(s, INLINE_THRESHOLD, SECTION), b::inlineThreshold);
    set(fields.bytes(s, MAX_VALUE_SIZE, SECTION), b::maxValueSize);
    set(fields.positiveDuration(s, TTL, SECTION, null), b::ttl);
    set(redis(s), b::redisUri);
    set(access(s), b::redisAccess);
    set(fields.positiveDuration(s, REDIS_TIMEOUT, SECTION, null), b::redisTimeout);
    set(fields.bytes(s, PEER_PUSH_MAX, SECTION), b::peerPushMaxBytes);
    set(fields.text(s, KEY_PREFIX, SECTION, false), b::keyPrefix);
    if (fields.problems().size() > before) {
      return null;
    }
    try {
      return b.build();
    } catch (StoreConfig.InvalidSetting e) {
      String key = FieldReader.absent(s, e.key()) ? null : e.key();
      fields.problem(s, key, SECTION, "'" + e.key() + "' " + e.rule());
      return null;
    }
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  /** The budget follows the containers' unused memory: reclaimRatio, budgetFloor, budgetCap. */
  private void fromContainers(JsonNode s, StoreConfig.Builder b) {
    for (String key : new String[] {MEMORY_BUDGET, SLOTS, GRANTED_MEMORY_PER_SLOT}) {
      if (!FieldReader.absent(s, key)) {
        fields.problem(
            s,
            key,
            SECTION,
            "write '" + key + "' or '" + RECLAIM_FROM_CONTAINERS + ": true', not both");
        return;
      }
    }
    Double ratio = fields.number(s, RECLAIM_RATIO, SECTION);
    Long floor = fields.bytes(s, BUDGET_FLOOR, SECTION);
    Long cap = fields.bytes(s, BUDGET_CAP, SECTION);
    if ((ratio == null && !FieldReader.absent(s, RECLAIM_RATIO))
        || (floor == null && !FieldReader.absent(s, BUDGET_FLOOR))
        || (cap == null && !FieldReader.absent(s, BUDGET_CAP))) {
      return;
    }
    try {
      b.reclaimFromContainers(
          new ContainerReclaim(
              ratio == null ? StoreConfig.DEFAULT_RECLAIM_RATIO : ratio,
              floor == null ? StoreConfig.DEFAULT_BUDGET_FLOOR : floor,
              cap == null ? StoreConfig.DEFAULT_BUDGET_CAP : cap));
    } catch (StoreConfig.InvalidSetting e) {
      fields.problem(s, e.key(), SECTION, "'" + e.key() + "' " + e.rule());
    }
  }

  /** {@code slots x grantedMemoryPerSlot x reclaimRatio}, instead of a fixed memoryBudget. */
  private void reclaimable(JsonNode s, StoreConfig.Builder b) {
    boolean slotsSet = !FieldReader.absent(s, SLOTS);
    boolean grantedSet = !FieldReader.absent(s, GRANTED_MEMORY_PER_SLOT);
    boolean ratioSet = !FieldReader.absent(s, RECLAIM_RATIO);
    if (!slotsSet && !grantedSet && !ratioSet) {
      return;
    }
    Long slots = fields.integer(s, SLOTS, SECTION, 1);
    Long granted = fields.bytes(s, GRANTED_MEMORY_PER_SLOT, SECTION);
    Double ratio = fields.number(s, RECLAIM_RATIO, SECTION);
    String together = "'" + SLOTS + "' and '" + GRANTED_MEMORY_PER_SLOT + "' go together";
    if (!slotsSet || !grantedSet) {
      String present = slotsSet ? SLOTS : grantedSet ? GRANTED_MEMORY_PER_SLOT : RECLAIM_RATIO;
      fields.problem(s, present, SECTION, together + " (with an optional '" + RECLAIM_RATIO + "')");
      return;
    }
    if (!FieldReader.absent(s, MEMORY_BUDGET)) {
      fields.problem(
          s, SLOTS, SECTION, "write '" + MEMORY_BUDGET + "' or " + together + ", not both");
      return;
    }
    if (slots == null || granted == null || (ratioSet && ratio == null)) {
      return;
    }
    if (slots > Integer.MAX_VALUE) {
      fields.problem(s, SLOTS, SECTION, "'" + SLOTS + "' is too large: " + slots);
      return;
    }
    try {
      b.reclaimable(
          new ReclaimableMemory(
              slots.intValue(),
              granted,
              ratio == null ? StoreConfig.DEFAULT_RECLAIM_RATIO : ratio));
    } catch (IllegalArgumentException e) {
      String key = e.getMessage().contains("ratio") ? RECLAIM_RATIO : GRANTED_MEMORY_PER_SLOT;
      fields.problem(s, key, SECTION, "'" + key + "': " + e.getMessage());
    }
  }

  /** {@code redis:} as a URI text, or {@code {uri: ...}}; the address either way. */
  private URI redis(JsonNode s) {
    JsonNode r = s.get(REDIS);
    JsonNode owner = s;
    String key = REDIS;
    if (r != null && r.isObject()) {
      fields.checkKeys(r, REDIS_KEYS, REDIS, SECTION);
      owner = r;
      key = "uri";
    }
    String text = fields.text(owner, key, SECTION, owner != s);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      StoreConfig.checkRedisUri(uri);
      return uri;
    } catch (URISyntaxException | IllegalArgumentException e) {
      fields.problem(
          owner,
          key,
          SECTION,
          "'redis' must look like redis://HOST:PORT, rediss://HOST:PORT or"
              + " redis://USER:PASSWORD@HOST:PORT/DB, got '"
              + RedisAccess.masked(text)
              + "'");
      return null;
    }
  }

  /**
   * The {@code username}, {@code passwordFile}, {@code tls} and {@code caFile} of {@code redis:
   * {...}}.
   */
  private RedisAccess access(JsonNode s) {
    JsonNode r = s.get(REDIS);
    if (r == null || !r.isObject()) {
      return null;
    }
    String user = fields.text(r, "username", SECTION, false);
    String password = fields.text(r, "passwordFile", SECTION, false);
    Boolean tls = fields.bool(r, "tls", SECTION);
    String ca = fields.text(r, "caFile", SECTION, false);
    return new RedisAccess(user, path(password), Boolean.TRUE.equals(tls), path(ca));
  }

  private java.nio.file.Path path(String text) {
    if (text == null) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(text);
    if (!p.isAbsolute() && configFile != null && !configFile.startsWith("<")) {
      java.nio.file.Path parent = java.nio.file.Path.of(configFile).toAbsolutePath().getParent();
      p = parent == null ? p : parent.resolve(p);
    }
    return p.toAbsolutePath().normalize();
  }
}
