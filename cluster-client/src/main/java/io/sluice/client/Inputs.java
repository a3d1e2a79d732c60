package io.sluice.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ParameterException;

/**
 * Reads a JSON option value ({@code --input}, {@code --data}): inline JSON, or {@code @FILE}. A
 * file that does not exist or cannot be read is reported as such, apart from one that is not JSON.
 */
public final class Inputs {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Inputs() {}

  /** {@code --input}'s value as JSON ({@code null} when not given). */
  public static JsonNode parse(picocli.CommandLine cl, String value) {
    return parse(cl, "--input", value);
  }

  /** The value of {@code option} as JSON: inline, or the content of {@code @FILE}. */
  public static JsonNode parse(picocli.CommandLine cl, String option, String value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    String text = value;
    String where = option;
    if (value.startsWith("@")) {
      if (value.length() == 1) {
        throw new ParameterException(cl, option + ": no file name after '@'");
      }
      Path file = Path.of(value.substring(1));
      where = file.toString();
      text = readFile(cl, option, file);
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new ParameterException(
          cl, option + ": " + where + " is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  private static String readFile(picocli.CommandLine cl, String option, Path file) {
    if (!Files.exists(file)) {
      throw new ParameterException(
          cl,
          option
              + ": file "
              + file
              + " does not exist"
              + (file.isAbsolute() ? "" : " (in " + Path.of("").toAbsolutePath() + ")"));
    }
    if (Files.isDirectory(file)) {
      throw new ParameterException(cl, option + ": " + file + " is a directory, not a file");
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ParameterException(
          cl, option + ": cannot read " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
