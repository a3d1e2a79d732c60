package io.sluice.runtime.openwhisk;

import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads OpenWhisk API keys ({@code UUID:KEY}, what {@code wsk property get --auth} prints) on the
 * worker, from the environment variable or file a function's settings name, and turns them into
 * basic-auth headers. A file is read again only when its modification time changes, so a rotated
 * key is picked up without reading the file on every call. The key never appears in a message.
 */
final class ApiKeys {
  private record Cached(FileTime modified, String header) {}

  private final Function<String, String> env;
  private final Map<Path, Cached> files = new ConcurrentHashMap<>();

  ApiKeys(Function<String, String> env) {
    this.env = env;
  }

  /**
   * The {@code Authorization} header for {@code spec}'s key; throws a {@link
   * FunctionException#BAD_CONFIGURATION} failure saying which variable or file is missing or
   * malformed.
   */
  String header(OpenWhiskSpec spec, String function) {
    if (spec.authEnv() != null) {
      String key = env.apply(spec.authEnv());
      if (key == null || key.isBlank()) {
        throw bad(
            function,
            "setting 'authEnv' names the environment variable "
                + spec.authEnv()
                + ", which is not set (or empty) on this worker");
      }
      return basic(key.strip(), function, "environment variable " + spec.authEnv());
    }
    Path file = spec.authFile();
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      Cached c = files.get(file);
      if (c != null && c.modified().equals(modified)) {
        return c.header();
      }
      String key = Files.readString(file, StandardCharsets.UTF_8).strip();
      String header = basic(key, function, "file " + file);
      files.put(file, new Cached(modified, header));
      return header;
    } catch (IOException e) {
      throw bad(
          function,
          "setting 'authFile' names "
              + file.toAbsolutePath()
              + ", which cannot be read on this worker ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static String basic(String key, String function, String where) {
    int colon = key.indexOf(':');
    if (colon <= 0 || colon == key.length() - 1 || key.chars().anyMatch(Character::isWhitespace)) {
      throw bad(
          function,
          "the API key in "
              + where
              + " is not of the form UUID:KEY (what `wsk property get --auth` prints)");
    }
    return "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static FunctionException bad(String function, String problem) {
    return new FunctionException(
        FunctionException.BAD_CONFIGURATION, function + ": " + problem, false);
  }
}
