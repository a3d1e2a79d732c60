package io.sluice.runtime.http;

import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Where an {@code http} function's credential is read on the worker: an environment variable
 * ({@code tokenEnv}), read at each call, or a file ({@code tokenFile}), read on first use and again
 * when its modification time changed, checked at most every {@link #RECHECK_NANOS} (so a rotated
 * token is picked up within a second without a file read per call). Surrounding whitespace (a
 * file's final newline) is dropped. Never part of the definition: the definition names only where.
 */
abstract class TokenSource {
  static final long RECHECK_NANOS = 1_000_000_000L;

  /**
   * The token at {@code nowNanos} (the runtime scheduler's clock); a missing variable or unreadable
   * file fails with {@code BadConfiguration}.
   */
  abstract String token(long nowNanos);

  /** {@code tokenEnv: NAME} or {@code tokenFile: PATH}, for messages. */
  abstract String describe();

  static TokenSource env(String name) {
    return new Env(name);
  }

  static TokenSource file(Path path) {
    return new File(path);
  }

  /** {@code token}, once checked to be usable in a header (never shown in a message). */
  static String checked(String token, String where) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw missing(where + " holds a control character (a line break?) inside the token");
      }
    }
    return token;
  }

  static FunctionException missing(String what) {
    return new FunctionException(
        FunctionException.BAD_CONFIGURATION,
        "the token of this http function cannot be read on this worker: " + what,
        false);
  }

  private static final class Env extends TokenSource {
    private final String name;

    Env(String name) {
      this.name = name;
    }

    @Override
    String token(long nowNanos) {
      String v = System.getenv(name);
      if (v == null || v.isBlank()) {
        throw missing("environment variable " + name + " is not set or empty (setting tokenEnv)");
      }
      return checked(v.strip(), "environment variable " + name);
    }

    @Override
    String describe() {
      return "tokenEnv: " + name;
    }
  }

  private static final class File extends TokenSource {
    private record Read(String token, FileTime modified, long checkedNanos) {}

    private final Path path;
    private volatile Read last;

    File(Path path) {
      this.path = path;
    }

    @Override
    String token(long now) {
      Read r = last;
      if (r != null && now - r.checkedNanos < RECHECK_NANOS) {
        return r.token;
      }
      try {
        FileTime modified = Files.getLastModifiedTime(path);
        if (r != null && modified.equals(r.modified)) {
          last = new Read(r.token, modified, now);
          return r.token;
        }
        String token = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw missing("file " + path + " is empty (setting tokenFile)");
        }
        checked(token, "file " + path);
        last = new Read(token, modified, now);
        return token;
      } catch (IOException e) {
        throw missing("file " + path + " cannot be read: " + e + " (setting tokenFile)");
      }
    }

    @Override
    String describe() {
      return "tokenFile: " + path;
    }
  }
}
