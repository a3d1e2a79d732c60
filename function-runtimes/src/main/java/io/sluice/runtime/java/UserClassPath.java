package io.sluice.runtime.java;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where this process finds the user's own {@code java} function classes ({@code class:
 * com.example.Fn}) besides its own class path: the jars and class folders given by {@code sluice
 * run --classpath}, {@code sluice worker --classpath} or a worker's {@code classpath:} in the
 * cluster config (docs/configuration.md). One class loader over them, whose parent is the
 * application class loader, so user classes see Sluice's API ({@code
 * io.sluice.runtime.JavaFunction}) and Jackson. Process-wide: the launcher sets it once, before
 * functions are instantiated.
 */
public final class UserClassPath {
  private static final List<Path> PATHS = new ArrayList<>();
  private static volatile ClassLoader loader;

  private UserClassPath() {}

  /**
   * Adds {@code entries} (jars or folders, separated by {@link File#pathSeparator}; relative ones
   * resolved against {@code base}) to the user class path. Throws {@link IllegalArgumentException}
   * naming an entry that does not exist.
   */
  public static synchronized void add(String entries, Path base) {
    if (entries == null || entries.isBlank()) {
      return;
    }
    List<Path> added = new ArrayList<>();
    for (String e : entries.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
      if (e.isBlank()) {
        continue;
      }
      Path p = base == null ? Path.of(e) : base.resolve(e);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(
            "class path entry " + p + " does not exist (a jar or a folder of classes)");
      }
      added.add(p.toAbsolutePath().normalize());
    }
    PATHS.addAll(added);
    URL[] urls = new URL[PATHS.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = PATHS.get(i).toUri().toURL();
      } catch (MalformedURLException ex) {
        throw new IllegalArgumentException("class path entry " + PATHS.get(i) + ": " + ex, ex);
      }
    }
    loader = new URLClassLoader("sluice-user", urls, UserClassPath.class.getClassLoader());
  }

  /** The entries added so far (absolute). */
  public static synchronized List<Path> entries() {
    return List.copyOf(PATHS);
  }

  /** The loader of user classes, or null when no entry was added. */
  static ClassLoader loader() {
    return loader;
  }

  /** Forgets every entry (tests that run several configurations in one JVM). */
  public static synchronized void clear() {
    PATHS.clear();
    loader = null;
  }
}
