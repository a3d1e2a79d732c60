package io.sluice.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The names closest to a mistyped one, by edit distance (insertions, deletions, substitutions and
 * swaps of two neighbouring letters each count 1), for "did you mean" hints.
 */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidates within 2 edits of {@code typed} (1 for names up to 4 letters), or that it
   * starts, nearest first.
   */
  static List<String> closest(String typed, Collection<String> candidates) {
    String t = typed.toLowerCase(java.util.Locale.ROOT);
    int limit = t.replaceFirst("^-+", "").length() <= 4 ? 1 : 2;
    return candidates.stream()
        .filter(c -> t.length() > 0 && (c.startsWith(t) || distance(t, c) <= limit))
        .sorted(Comparator.comparingInt((String c) -> distance(t, c)).thenComparing(c -> c))
        .distinct()
        .toList();
  }

  /** The optimal-string-alignment distance between {@code a} and {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
