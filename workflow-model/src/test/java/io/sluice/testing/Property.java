package io.sluice.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded property checks on plain JUnit 5: a property runs N cases, each from its own seed derived
 * from a base seed, and a failing case reports its seed and the command that replays it alone.
 *
 * <ul>
 *   <li>{@code -Dsluice.property.cases=N} runs N cases per property (default: the property's own,
 *       chosen to keep each test well under 20 s on a loaded 2-core machine).
 *   <li>{@code -Dsluice.property.seed=S} makes S the base seed: case 0 uses S itself, case i a seed
 *       mixed from S and i. So {@code -Dsluice.property.seed=<case seed> -Dsluice.property.cases=1}
 *       replays exactly one reported case. {@code -Dsluice.property.seed=random} draws a new base
 *       seed (printed). Without it, the base seed is fixed per property (derived from its name), so
 *       the default run is the same every time.
 * </ul>
 *
 * <p>A property may have knobs of its own instead ({@link #withKnobs}: the definition fuzzer's
 * {@code sluice.fuzz.definitions} and {@code sluice.fuzz.seed}), read the same way.
 *
 * <p>Every run prints {@code property NAME: N cases, seed S}.
 */
public final class Property {
  public static final String CASES = "sluice.property.cases";
  public static final String SEED = "sluice.property.seed";
  private static final long DEFAULT_BASE = 0x5_11CE_5EEDL;

  /** One case of a property: gets its own seeded random source and its index. */
  @FunctionalInterface
  public interface Case {
    void run(SplittableRandom random, long seed, int index) throws Exception;
  }

  private final String name;
  private final int defaultCases;
  private final String casesKnob;
  private final String seedKnob;

  private Property(String name, int defaultCases, String casesKnob, String seedKnob) {
    this.name = name;
    this.defaultCases = defaultCases;
    this.casesKnob = casesKnob;
    this.seedKnob = seedKnob;
  }

  /** A property called {@code name} with {@code defaultCases} cases unless overridden. */
  public static Property named(String name, int defaultCases) {
    return new Property(name, defaultCases, CASES, SEED);
  }

  /**
   * This property with its own system properties for the case count and the base seed (instead of
   * {@link #CASES} and {@link #SEED}), for a property whose case count differs in kind from the
   * others' (e.g. a fuzzer's thousands of cheap cases).
   */
  public Property withKnobs(String casesProperty, String seedProperty) {
    return new Property(name, defaultCases, casesProperty, seedProperty);
  }

  /** How many cases a run of this property checks. */
  public int cases() {
    String v = System.getProperty(casesKnob);
    if (v == null || v.isBlank()) {
      return defaultCases;
    }
    int n = Integer.parseInt(v.trim());
    if (n < 1) {
      throw new IllegalArgumentException(casesKnob + " must be >= 1, got " + v);
    }
    return n;
  }

  /** The base seed of this run. */
  public long baseSeed() {
    String v = System.getProperty(seedKnob);
    if (v == null || v.isBlank()) {
      return mix(DEFAULT_BASE ^ name.hashCode());
    }
    if (v.trim().equals("random")) {
      return System.nanoTime() ^ mix(System.identityHashCode(this));
    }
    return Long.parseLong(v.trim());
  }

  /** The seed of case {@code index} under {@code base}: case 0 is the base itself. */
  public static long caseSeed(long base, int index) {
    return index == 0 ? base : mix(base + index * 0x9E3779B97F4A7C15L);
  }

  /** Runs every case; throws on the first failing one with its seed and replay command. */
  public void check(Case body) {
    int n = cases();
    long base = baseSeed();
    String caller = caller();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long seed = caseSeed(base, i);
      try {
        body.run(new SplittableRandom(seed), seed, i);
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError) {
          throw (VirtualMachineError) t;
        }
        String message =
            "property "
                + name
                + " failed on case "
                + i
                + " of "
                + n
                + " (base seed "
                + base
                + "), case seed "
                + seed
                + "\n  replay this case: "
                + replayCommand(caller, seed, casesKnob, seedKnob)
                + "\n  cause: "
                + t;
        System.out.println(message);
        throw new AssertionError(message, t);
      }
    }
    System.out.printf(
        "property %s: %d cases, seed %d (%d ms)%n",
        name, n, base, (System.nanoTime() - t0) / 1_000_000);
  }

  /** The mvn command line that runs only {@code caller} (Class#method) with one case of seed. */
  static String replayCommand(String caller, long seed, String casesKnob, String seedKnob) {
    String module = Path.of(System.getProperty("user.dir")).getFileName().toString();
    String cls = caller.substring(0, caller.indexOf('#'));
    boolean integration = isIntegration(cls);
    String selector =
        integration
            ? "verify -DskipUTs -Dit.test=" + simple(caller)
            : "test -Dtest=" + simple(caller);
    return "mvn -B -ntp -pl "
        + module
        + " -am "
        + selector
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false"
        + " -D"
        + seedKnob
        + "="
        + seed
        + " -D"
        + casesKnob
        + "=1";
  }

  private static String simple(String caller) {
    return caller.substring(caller.lastIndexOf('.') + 1);
  }

  private static boolean isIntegration(String className) {
    try {
      Class<?> c = Class.forName(className);
      return c.isAnnotationPresent(IntegrationTest.class)
          || Arrays.stream(c.getAnnotations())
              .anyMatch(
                  a -> a instanceof org.junit.jupiter.api.Tag t && t.value().equals("integration"));
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Class#method of the test that called check (the first frame outside this class). */
  private static String caller() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(f -> !f.getClassName().equals(Property.class.getName()))
                    .filter(f -> !f.getClassName().contains("$"))
                    .findFirst()
                    .map(f -> f.getClassName() + "#" + f.getMethodName())
                    .orElse("UnknownTest#unknown"));
  }

  /** SplitMix64's finalizer: spreads a seed over all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
