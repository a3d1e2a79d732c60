package io.sluice.runtime.security;

import java.util.List;

/**
 * An allow-list entry: {@code *} stands for any run of characters (also none, also {@code /}),
 * everything else for itself, case-sensitively. No other wildcard, so an entry that names one
 * command, image or URL means exactly that one.
 */
final class Glob {
  private Glob() {}

  /** Whether {@code value} matches {@code pattern}. */
  static boolean matches(String pattern, String value) {
    String[] parts = pattern.split("\\*", -1);
    if (parts.length == 1) {
      return pattern.equals(value);
    }
    if (!value.startsWith(parts[0])) {
      return false;
    }
    int at = parts[0].length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = value.indexOf(parts[i], at);
      if (found < 0) {
        return false;
      }
      at = found + parts[i].length();
    }
    String last = parts[parts.length - 1];
    return value.length() - at >= last.length() && value.endsWith(last);
  }

  /** Whether any of {@code patterns} matches {@code value}. */
  static boolean any(List<String> patterns, String value) {
    for (String p : patterns) {
      if (matches(p, value)) {
        return true;
      }
    }
    return false;
  }
}
