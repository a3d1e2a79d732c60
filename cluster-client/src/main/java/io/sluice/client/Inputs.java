package io.sluice.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ParameterException;

/** Reads a {@code --input} value: inline JSON, or {@code @FILE}. */
public final class Inputs {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Inputs() {}

  public static JsonNode parse(picocli.CommandLine cl, String value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    String text = value;
    String where = "--input";
    try {
      if (value.startsWith("@")) {
        where = value.substring(1);
        text = Files.readString(Path.of(where));
      }
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new ParameterException(
          cl, "--input: " + where + " is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
  }
}
