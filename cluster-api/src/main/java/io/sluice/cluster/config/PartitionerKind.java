package io.sluice.cluster.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which partitioner places a workflow's nodes on workers (docs/design.md, Placement). */
public enum PartitionerKind {
  CRITICAL_PATH("critical-path"),
  HASH("hash");

  private final String configName;

  PartitionerKind(String configName) {
    this.configName = configName;
  }

  /** The name written in the configuration file. */
  public String configName() {
    return configName;
  }

  /** Parses a configuration name, or throws naming the accepted ones. */
  public static PartitionerKind parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (PartitionerKind k : values()) {
      if (k.configName.equals(t)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown partitioner '" + text + "'; use one of: " + names());
  }

  static String names() {
    return Arrays.stream(values()).map(k -> k.configName).collect(Collectors.joining(", "));
  }
}
