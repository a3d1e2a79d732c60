package io.sluice.bench.workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which configuration each one is compared with in summary.md: the one with the same other values
 * and the baseline's values for the dimensions it names. By default {@code mode=master} (when
 * master is in the sweep) and {@code store=redis} (when redis is): MasterSP over Redis, FaaSFlow's
 * baseline. {@code --baseline mode=master} names the dimensions itself.
 *
 * @param values dimension -> value, in the order given
 */
public record Baseline(Map<String, String> values) {
  public Baseline {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The default baseline for a sweep (possibly empty: then there are no ratios). */
  public static Baseline defaultFor(Sweep sweep) {
    Map<String, String> v = new LinkedHashMap<>();
    if (sweep.modes().contains("master")) {
      v.put("mode", "master");
    }
    if (sweep.stores().contains("redis")) {
      v.put("store", "redis");
    }
    return new Baseline(v);
  }

  /**
   * Parses {@code dim=value[,dim=value...]}; each dimension must be one of {@link Sweep#DIMENSIONS}
   * and its value one the sweep takes, else {@link IllegalArgumentException} saying which.
   */
  public static Baseline parse(String text, Sweep sweep) {
    Map<String, String> v = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException(
            "--baseline: '" + p + "' is not DIMENSION=VALUE (e.g. mode=master,store=redis)");
      }
      String dim = p.substring(0, eq).trim();
      String val = p.substring(eq + 1).trim();
      if (!Sweep.DIMENSIONS.contains(dim)) {
        throw new IllegalArgumentException(
            "--baseline: unknown dimension '" + dim + "'; one of " + Sweep.DIMENSIONS);
      }
      List<String> taken = sweep.values(dim);
      if (!taken.contains(val)) {
        throw new IllegalArgumentException(
            "--baseline: " + dim + "=" + val + " is not in the sweep (it takes " + taken + ")");
      }
      v.put(dim, val);
    }
    return new Baseline(v);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The configuration {@code c} is compared with. */
  public Configuration of(Configuration c) {
    Configuration b = c;
    for (var e : values.entrySet()) {
      b = b.with(e.getKey(), e.getValue());
    }
    return b;
  }

  /** The baseline row for {@code r} among {@code results} (same workflow), if it ran. */
  public Optional<Result> find(Result r, List<Result> results) {
    if (isEmpty()) {
      return Optional.empty();
    }
    Configuration want = of(r.config());
    return results.stream()
        .filter(x -> x.workflow().equals(r.workflow()) && x.config().equals(want))
        .findFirst();
  }

  /** {@code mode=master, store=redis}. */
  public String describe() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
