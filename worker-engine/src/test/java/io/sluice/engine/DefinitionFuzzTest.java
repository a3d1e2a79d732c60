package io.sluice.engine;

import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.DefinitionException;
import io.sluice.testing.DefinitionMutator;
import io.sluice.testing.FuzzSeeds;
import io.sluice.testing.Property;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definition fuzzer (docs/testing.md, "Definition fuzz"): seeded mutants of the examples, the
 * FaaSFlow benchmarks and the WfCommons traces go through {@code validate} ({@link
 * Definitions#load} with {@code --synthetic}, what {@code sluice validate} calls) and through
 * {@code run} ({@link FuzzRunner}). Every mutant must be a located error or a run that ends
 * (completed, or failed with a typed error); never another exception, an {@link Error} or a hang;
 * and {@code validate} accepts exactly the mutants that {@code run} does not reject as invalid.
 *
 * <p>Knobs: {@code sluice.fuzz.definitions} (cases), {@code sluice.fuzz.seed} (base seed; a case
 * seed with one case replays that case), {@code sluice.fuzz.caseTimeout} (the bound on one run).
 */
class DefinitionFuzzTest {
  static final String CASES = "sluice.fuzz.definitions";
  static final String SEED = "sluice.fuzz.seed";
  private static final int DEFAULT_CASES = 2_500;

  @TempDir static Path work;
  private static List<FuzzSeeds.Seed> seeds;
  private static FuzzRunner runner;

  @BeforeAll
  static void setUp() {
    seeds = FuzzSeeds.load(io.sluice.testing.Definitions.root(), work);
    runner =
        new FuzzRunner(
            io.sluice.model.format.Durations.parse(
                System.getProperty("sluice.fuzz.caseTimeout", "20s")));
  }

  @AfterAll
  static void tearDown() {
    if (runner != null) {
      runner.close();
    }
  }

  @Test
  void everyMutantIsALocatedErrorOrARunThatEnds() {
    DefinitionMutator mutator = new DefinitionMutator();
    Map<String, Integer> tally = new TreeMap<>();
    Property.named("definition-fuzz", DEFAULT_CASES)
        .withKnobs(CASES, SEED)
        .check(
            (random, seed, index) -> {
              FuzzSeeds.Seed s = FuzzSeeds.pick(seeds, random);
              DefinitionMutator.Mutant m = null;
              try {
                m = mutator.mutate(s, random);
                String verdict = check(s, m, index);
                tally.merge(s.family() + " " + verdict, 1, Integer::sum);
              } catch (Throwable t) {
                // also an Error (a StackOverflowError is one), so that the case's seed is printed
                throw new AssertionError(
                    (m == null ? "mutating " + s.name() : "mutant kept in " + keep(m, seed))
                        + (m == null ? "" : "\n    " + m.describe())
                        + "\n  failed: "
                        + t,
                    t);
              }
            });
    System.out.println("definition-fuzz outcomes: " + tally);
  }

  /** Checks one mutant; returns its verdict for the tally. */
  private static String check(FuzzSeeds.Seed s, DefinitionMutator.Mutant m, int index)
      throws Exception {
    // a new file per case, removed after it: rewriting one file in place makes ext4 flush it to
    // disk every time (auto_da_alloc), which costs more than the whole case
    Path file = s.dir().resolve("fuzz-" + index + (m.json() ? ".json" : ".yaml"));
    try {
      return check(file, m);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String check(Path file, DefinitionMutator.Mutant m) throws Exception {
    Files.write(file, m.bytes());
    DefinitionException invalid = null;
    try {
      Definitions.load(file, null, true, runner.runtimes());
    } catch (DefinitionException e) {
      invalid = e;
      LocatedProblems.check(e, file);
    }
    FuzzRunner.Outcome run = runner.run(file);
    if (run.kind() == FuzzRunner.Kind.DEFINITION_ERROR) {
      LocatedProblems.check(run.error(), file);
      if (invalid == null) {
        throw new AssertionError(
            "validate accepts what run rejects as invalid: " + run.error().getMessage());
      }
      return "invalid";
    }
    if (invalid != null) {
      throw new AssertionError(
          "validate rejects what run accepts: " + invalid.getMessage() + "; run: " + run);
    }
    InstanceStatus st = run.status();
    if (st.state() == InstanceState.FAILED) {
      if (st.error() == null
          || st.error().type() == null
          || st.error().type().isBlank()
          || st.error().type().equals("InternalError")
          || String.valueOf(st.error().message()).contains("Exception")) {
        // an exception's class name in the message is an engine or runtime bug wrapped as a
        // function failure (FunctionException.of), not an error a definition asked for
        throw new AssertionError("run failed without a typed error: " + st.error());
      }
      return "failed " + st.error().type();
    }
    return run.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Keeps a failing mutant under target/ for a look after the run. */
  private static Path keep(DefinitionMutator.Mutant m, long seed) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
      Path p = dir.resolve("case-" + seed + (m.json() ? ".json" : ".yaml"));
      Files.write(p, m.bytes());
      Files.writeString(
          dir.resolve("case-" + seed + ".txt"), m.describe() + "\n", StandardCharsets.UTF_8);
      return p.toAbsolutePath();
    } catch (IOException e) {
      return Path.of("(not kept: " + e.getMessage() + ")");
    }
  }
}
