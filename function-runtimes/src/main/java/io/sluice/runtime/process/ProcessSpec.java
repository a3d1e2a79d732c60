package io.sluice.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.internal.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to run a {@code process} function, read from its settings.
 *
 * @param command the program and its arguments
 * @param shell whether the command was a string run through {@code /bin/sh -c}
 * @param workingDir the directory to run in, or null for the worker's
 * @param env variables added to the worker's environment
 * @param maxOutputBytes the most stdout bytes accepted
 */
record ProcessSpec(
    List<String> command,
    boolean shell,
    Path workingDir,
    Map<String, String> env,
    long maxOutputBytes) {

  /** Reads the settings; throws {@link IllegalArgumentException} naming the wrong setting. */
  static ProcessSpec of(FunctionDef f, long runtimeMaxOutputBytes) {
    JsonNode c = f.settings().get("command");
    List<String> command = new ArrayList<>();
    boolean shell = false;
    if (c != null && c.isTextual() && !c.asText().isBlank()) {
      command.addAll(List.of("/bin/sh", "-c", c.asText()));
      shell = true;
    } else if (c != null && c.isArray() && !c.isEmpty()) {
      for (JsonNode part : c) {
        if (!part.isValueNode() || part.isNull()) {
          throw Settings.bad(f, "command", "must list strings only, got " + part);
        }
        command.add(part.asText());
      }
    } else {
      throw Settings.bad(
          f,
          "command",
          "must be a list of strings (program and arguments) or a shell command string, got "
              + (c == null ? "nothing" : c));
    }
    String dir = Settings.text(f, "workingDir");
    Path workingDir = dir == null ? null : Path.of(dir);
    if (workingDir != null && !Files.isDirectory(workingDir)) {
      throw Settings.bad(f, "workingDir", "names no directory: " + workingDir.toAbsolutePath());
    }
    long limit = Settings.nonNegativeLong(f, "maxOutputBytes", runtimeMaxOutputBytes);
    if (limit == 0) {
      throw Settings.bad(f, "maxOutputBytes", "must be at least 1");
    }
    return new ProcessSpec(
        List.copyOf(command),
        shell,
        workingDir,
        Settings.env(f, Map.of()),
        Math.min(limit, runtimeMaxOutputBytes));
  }

  /**
   * Whether the program (the command's first word) exists and is executable: a path with a slash is
   * taken relative to the working directory, a bare name is looked up on PATH.
   */
  boolean programExists() {
    String program = command.get(0);
    if (program.contains("/")) {
      Path p = Path.of(program);
      if (!p.isAbsolute() && workingDir != null) {
        p = workingDir.resolve(p);
      }
      return Files.isExecutable(p) && !Files.isDirectory(p);
    }
    String path = env.getOrDefault("PATH", System.getenv("PATH"));
    if (path == null) {
      return true; // nothing to search: let the start say
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return true;
      }
    }
    return false;
  }
}
