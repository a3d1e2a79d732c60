package io.sluice.engine;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the definition fuzzer calls a located error: a {@link DefinitionException} with at least one
 * problem, and every problem names a file that exists (the definition, or a file it includes) and a
 * line of it (1 to its number of lines, plus one for the end of a file cut after its last line
 * break), with a message that is not a Java exception's. Line 0 ("not knowable") is allowed only
 * for a file that cannot be read at all — a folder or a missing file that the definition names —
 * which the fuzzer's own files never are.
 */
final class LocatedProblems {
  private LocatedProblems() {}

  static void check(DefinitionException e, Path definition) {
    if (e.problems().isEmpty()) {
      throw new AssertionError("a DefinitionException without problems: " + e);
    }
    java.util.Map<Path, Long> lineCounts = new java.util.HashMap<>();
    for (Problem p : e.problems()) {
      String at = "problem '" + p + "'";
      if (p.message() == null || p.message().isBlank()) {
        throw new AssertionError(at + " has no message");
      }
      if (p.message().contains("Exception") || p.message().contains("java.")) {
        throw new AssertionError(at + " reads like a Java exception, not a message for people");
      }
      Path file = Path.of(p.location().file());
      if (!Files.isRegularFile(file)) {
        throw new AssertionError(at + " does not name an existing file (" + definition + ")");
      }
      int line = p.location().line();
      long lines = lineCounts.computeIfAbsent(file, LocatedProblems::lines);
      if (line < 1 || line > lines + 1) {
        throw new AssertionError(at + " has line " + line + " of a file of " + lines + " lines");
      }
    }
  }

  private static long lines(Path file) {
    try {
      // Every character a YAML reader may count as a line break (an upper bound for JSON).
      String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
      return 1 + text.chars().filter(c -> "\n\r\u0085\u2028\u2029".indexOf(c) >= 0).count();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file + ": " + e);
    }
  }
}
