package io.sluice.cluster.security;

import java.util.Locale;

/**
 * What a client token may do, each role including the ones before it (docs/security.md, Client
 * tokens and roles).
 */
public enum Role {
  /** Register workflows, start instances, send events, read instances. */
  SUBMIT,
  /** Also cancel, redrive, retire and list. */
  OPERATE,
  /** Also drain workers, and every call not named otherwise. */
  ADMIN;

  /** Whether this role may do what {@code needed} allows. */
  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role's name in a tokens file: {@code submit}, {@code operate} or {@code admin}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code s} (any case), or null. */
  public static Role named(String s) {
    for (Role r : values()) {
      if (r.configName().equalsIgnoreCase(s)) {
        return r;
      }
    }
    return null;
  }
}
