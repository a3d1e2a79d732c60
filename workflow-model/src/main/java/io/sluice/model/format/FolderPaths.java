package io.sluice.model.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files a definition or function registry names (a sub-workflow's {@code workflow: FILE}, a
 * function's {@code code: FILE}) must lie in the folder of the file that names them: an absolute
 * path, a {@code ..} that climbs out, or a symbolic link that resolves outside is refused, so a
 * definition cannot make the process that reads it open any other file it can read.
 */
public final class FolderPaths {
  private FolderPaths() {}

  /**
   * {@code written} resolved against {@code folder}; throws {@link IllegalArgumentException} with a
   * one-line reason (to follow "names 'x', which ...") when it is outside the folder.
   */
  public static Path inside(Path folder, String written) {
    Path base = folder.toAbsolutePath().normalize();
    Path w = Path.of(written);
    if (w.isAbsolute()) {
      throw new IllegalArgumentException(
          "is an absolute path; name a file relative to " + base + " (and inside it)");
    }
    Path resolved = base.resolve(w).normalize();
    if (!resolved.startsWith(base)) {
      throw new IllegalArgumentException("climbs out of " + base + " with '..'");
    }
    if (Files.exists(resolved)) {
      try {
        Path real = resolved.toRealPath();
        Path realBase = base.toRealPath();
        if (!real.startsWith(realBase)) {
          throw new IllegalArgumentException(
              "is a symbolic link to " + real + ", outside " + realBase);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot be resolved: " + e.getMessage(), e);
      }
    }
    return resolved;
  }
}
