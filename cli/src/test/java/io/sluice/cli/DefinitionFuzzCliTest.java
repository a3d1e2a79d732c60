package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.DefinitionMutator;
import io.sluice.testing.FuzzSeeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definition fuzzer's mutants through the command line, end to end (in-process, as {@code
 * bin/sluice} runs it): for invalid mutants of each family, {@code validate} and {@code run} exit 2
 * and print only {@code FILE:LINE: node: message} lines (validate on stdout, run on stderr, as
 * docs/cli.md says), each naming an existing file and a line of it, and nothing anywhere reads like
 * a stack trace — also not in the log, which goes to the process's stderr.
 */
class DefinitionFuzzCliTest {
  private static final Pattern PROBLEM = Pattern.compile("(.+?):(\\d+): (\\S+): (.+)");
  private static final int PER_FAMILY = 3;

  @TempDir Path work;

  @Test
  void invalidMutantsAreLocatedErrorsWithExitCode2AndNoStackTrace() throws Exception {
    List<FuzzSeeds.Seed> seeds = FuzzSeeds.load(CliTest.ROOT, work);
    DefinitionMutator mutator = new DefinitionMutator();
    SplittableRandom random = new SplittableRandom(Long.getLong("sluice.fuzz.seed", 11));
    for (String family : List.of("native", "faasflow", "wfcommons")) {
      List<FuzzSeeds.Seed> of = seeds.stream().filter(s -> s.family().equals(family)).toList();
      int invalid = 0;
      for (int draw = 0; draw < 200 && invalid < PER_FAMILY; draw++) {
        FuzzSeeds.Seed seed = of.get(random.nextInt(of.size()));
        DefinitionMutator.Mutant m = mutator.mutate(seed, random);
        Path file =
            seed.dir().resolve("cli-" + family + "-" + draw + (m.json() ? ".json" : ".yaml"));
        Files.write(file, m.bytes());
        String what = family + " mutant " + draw + ":\n    " + m.describe();
        Captured validate = capture("validate", file.toString(), "--synthetic");
        assertThat(validate.err()).as(what).isEmpty();
        if (validate.result().exit() == 0) {
          continue; // valid: the fuzzer in worker-engine runs those
        }
        invalid++;
        assertThat(validate.result().exit()).as(what).isEqualTo(Main.EXIT_INVALID);
        assertLocated(validate.result().out(), what);
        Captured run = capture("run", file.toString(), "--synthetic", "--time-scale", "0");
        assertThat(run.result().exit()).as(what).isEqualTo(Main.EXIT_INVALID);
        assertThat(run.result().out()).as(what).isEmpty();
        assertLocated(run.result().err(), what);
        assertThat(run.err()).as(what).isEmpty();
      }
      assertThat(invalid).as("invalid " + family + " mutants found").isEqualTo(PER_FAMILY);
    }
  }

  /** Every line is a problem at an existing file and one of its lines; nothing else. */
  private static void assertLocated(String text, String what) throws Exception {
    assertThat(text).as(what).isNotBlank().doesNotContain("\tat ").doesNotContain("Exception");
    for (String line : text.strip().split("\n")) {
      Matcher m = PROBLEM.matcher(line);
      assertThat(m.matches()).as(what + "\n  line: " + line).isTrue();
      Path file = Path.of(m.group(1));
      assertThat(file).as(what).isRegularFile();
      long lines = Files.readString(file, StandardCharsets.ISO_8859_1).lines().count() + 1;
      assertThat(Integer.parseInt(m.group(2)))
          .as(what + "\n  line: " + line)
          .isBetween(1, (int) lines + 1);
    }
  }

  /** A command's result, and what reached the process's own stderr meanwhile (the log). */
  private record Captured(CliTest.Result result, String err) {}

  private static Captured capture(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      return new Captured(CliTest.sluice(args), log.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }
}
