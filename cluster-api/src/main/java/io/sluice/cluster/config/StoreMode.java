package io.sluice.cluster.config;

import java.util.Locale;

/** How a run keeps intermediate data; chosen per run ({@code --store}) or in cluster-config. */
public enum StoreMode {
  /** Worker memory only; no external service. */
  MEMORY,
  /** Every value through Redis: FaaSFlow's remote-store baseline. */
  REDIS,
  /** Placement-aware: local memory, push to consumers' workers or Redis, spill to Redis. */
  TIERED;

  public static StoreMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown store mode '" + text + "'; use memory, redis or tiered", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
