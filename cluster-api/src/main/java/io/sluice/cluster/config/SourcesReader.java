package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code sources:} and {@code events:} sections, recording every problem. */
record SourcesReader(FieldReader fields) {
  private static final Set<String> KEYS =
      Set.of(
          "type",
          "name",
          "uri",
          "stream",
          "group",
          "consumer",
          "deadLetter",
          "batch",
          "block",
          "claimIdle",
          "format",
          "eventType");

  /** The sources; null when a problem was recorded. */
  List<SourceConfig> sources(JsonNode root) {
    if (FieldReader.absent(root, "sources")) {
      return List.of();
    }
    JsonNode list = root.get("sources");
    if (!list.isArray()) {
      fields.problem(root, "sources", "sources", "'sources' must be a list of sources");
      return null;
    }
    int before = fields.problems().size();
    List<SourceConfig> out = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String where = "source " + (i + 1);
      if (!s.isObject()) {
        fields.problem(list, null, where, "a source must be a mapping of keys");
        continue;
      }
      SourceConfig c = source(s, where);
      if (c == null) {
        continue;
      }
      Integer first = names.putIfAbsent(c.name(), i + 1);
      if (first != null) {
        fields.problem(
            s,
            null,
            where,
            "duplicate source name '"
                + c.name()
                + "' (source "
                + first
                + "); give each source its own name");
        continue;
      }
      out.add(c);
    }
    return fields.problems().size() > before ? null : out;
  }

  private SourceConfig source(JsonNode s, String where) {
    fields.checkKeys(s, KEYS, null, where);
    String type = fields.text(s, "type", where, true);
    if (type != null && !type.equals(SourceConfig.REDIS_STREAM)) {
      fields.problem(
          s,
          "type",
          where,
          "unknown source type '" + type + "'; known: " + SourceConfig.REDIS_STREAM);
      return null;
    }
    String uri = fields.text(s, "uri", where, true);
    if (uri != null && !uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      fields.problem(
          s, "uri", where, "'uri' must be redis://HOST:PORT or rediss://..., got " + uri);
      uri = null;
    }
    String stream = fields.text(s, "stream", where, true);
    String name = orElse(fields.text(s, "name", where, false), stream);
    String group = orElse(fields.text(s, "group", where, false), SourceConfig.DEFAULT_GROUP);
    String consumer = fields.text(s, "consumer", where, false);
    String dead =
        orElse(
            fields.text(s, "deadLetter", where, false), stream == null ? null : stream + ".dead");
    if (dead != null && dead.equals(stream)) {
      fields.problem(s, "deadLetter", where, "'deadLetter' must not be the stream itself");
      dead = null;
    }
    Long batch = fields.integer(s, "batch", where, 1, SourceConfig.DEFAULT_BATCH);
    if (batch != null && batch > SourceConfig.MAX_BATCH) {
      fields.problem(
          s,
          "batch",
          where,
          "'batch' must be at most " + SourceConfig.MAX_BATCH + ", got " + batch);
      batch = null;
    }
    Duration block = fields.positiveDuration(s, "block", where, SourceConfig.DEFAULT_BLOCK);
    Duration idle = fields.positiveDuration(s, "claimIdle", where, SourceConfig.DEFAULT_CLAIM_IDLE);
    String format = orElse(fields.text(s, "format", where, false), "cloudevent");
    if (!SourceConfig.FORMATS.contains(format)) {
      fields.problem(
          s, "format", where, "'format' must be cloudevent or data, got '" + format + "'");
      format = null;
    }
    String eventType = fields.text(s, "eventType", where, false);
    if (uri == null
        || stream == null
        || name == null
        || group == null
        || dead == null
        || batch == null
        || block == null
        || idle == null
        || format == null) {
      return null;
    }
    return new SourceConfig(
        name,
        uri,
        stream,
        group,
        Optional.ofNullable(consumer),
        dead,
        batch.intValue(),
        block,
        idle,
        format,
        Optional.ofNullable(eventType));
  }

  private boolean tooLarge(JsonNode e, String key, Long v) {
    if (v != null && v > 1_000_000) {
      fields.problem(e, key, "events", "'" + key + "' must be at most 1000000, got " + v);
      return true;
    }
    return false;
  }

  private static String orElse(String v, String fallback) {
    return v != null ? v : fallback;
  }

  /** The {@code events:} section; null when a problem was recorded. */
  EventsConfig events(JsonNode root) {
    JsonNode e = fields.object(root, "events", "events", false);
    if (e == null) {
      return FieldReader.absent(root, "events") ? EventsConfig.DEFAULT : null;
    }
    fields.checkKeys(e, Set.of("holdFor", "maxHeldPerType", "rememberIds"), null, "events");
    Duration hold = fields.positiveDuration(e, "holdFor", "events", EventsConfig.DEFAULT.holdFor());
    Long max =
        fields.integer(e, "maxHeldPerType", "events", 0, EventsConfig.DEFAULT.maxHeldPerType());
    Long ids = fields.integer(e, "rememberIds", "events", 0, EventsConfig.DEFAULT.rememberIds());
    if (tooLarge(e, "maxHeldPerType", max) | tooLarge(e, "rememberIds", ids)) {
      return null;
    }
    return hold == null || max == null || ids == null
        ? null
        : new EventsConfig(hold, max.intValue(), ids.intValue());
  }
}
