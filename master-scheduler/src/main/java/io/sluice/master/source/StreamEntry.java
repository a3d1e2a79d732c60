package io.sluice.master.source;

import java.util.Map;

/** One entry read from a stream: its stream, its id and its fields (in order). */
public record StreamEntry(String stream, String id, Map<String, String> fields) {
  public StreamEntry {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }
}
