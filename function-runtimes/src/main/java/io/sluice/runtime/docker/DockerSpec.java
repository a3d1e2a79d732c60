package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.format.ByteSizes;
import io.sluice.runtime.internal.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * How to run a {@code docker} function, read from its settings (docs/runtimes.md lists them).
 *
 * @param image the image (required)
 * @param code the function's source, carried in the definition ({@code codeText}), or null for a
 *     prebuilt image (no /init)
 * @param main the entry point the image's proxy calls
 * @param memory the container's memory limit in bytes (swap the same); {@link #DEFAULT_MEMORY}
 *     unless set
 * @param cpus the container's CPU limit; {@link #DEFAULT_CPUS} unless set
 * @param pids the most processes and threads the container may have; {@link #DEFAULT_PIDS} unless
 *     set
 * @param readOnlyRoot whether the container's root filesystem is read-only (with a tmpfs {@code
 *     /tmp}); true unless {@code readOnlyRoot: false}
 * @param env variables set in the container
 * @param concurrency calls one container serves at a time
 * @param keepAlive how long an idle container stays warm
 * @param prewarm containers kept warm even when idle
 * @param maxContainers most containers of this function at a time
 */
record DockerSpec(
    String image,
    String code,
    String main,
    long memory,
    double cpus,
    long pids,
    boolean readOnlyRoot,
    Map<String, String> env,
    int concurrency,
    Duration keepAlive,
    int prewarm,
    int maxContainers) {

  static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(10);
  static final int DEFAULT_MAX_CONTAINERS = 8;

  /**
   * Limits every container has unless its function sets them (docs/runtimes.md): a function that
   * sets none still cannot take the worker's memory, CPUs or process table.
   */
  static final long DEFAULT_MEMORY = 256L * 1024 * 1024;

  static final double DEFAULT_CPUS = 1;
  static final long DEFAULT_PIDS = 256;

  /** Variables a function may not set in its containers, and why. */
  private static final Map<String, String> RESERVED_ENV =
      Map.of("PORT", "the runtime gives each container its own");

  /** The setting the loader fills with the text of the file {@code code} names. */
  static final String CODE_TEXT = io.sluice.runtime.FunctionCode.CODE_TEXT;

  /** Reads the settings; throws {@link IllegalArgumentException} naming the wrong setting. */
  static DockerSpec of(FunctionDef f) {
    String image = Settings.text(f, "image");
    if (image == null) {
      throw Settings.bad(f, "image", "is required: the image to run, e.g. sluice/fn-python:local");
    }
    String code = null;
    if (f.settings().hasNonNull("code")) {
      Settings.text(f, "code");
      JsonNode text = f.settings().get(CODE_TEXT);
      if (text == null || !text.isTextual()) {
        throw Settings.bad(
            f,
            "code",
            "names a file that was not read into the definition; load the workflow through"
                + " bin/sluice (or Definitions.read), which carries the file's text in '"
                + CODE_TEXT
                + "'");
      }
      code = text.asText();
    } else if (f.settings().hasNonNull(CODE_TEXT)) {
      code = Settings.text(f, CODE_TEXT);
    }
    String main = Settings.text(f, "main");
    long memory = DEFAULT_MEMORY;
    JsonNode m = f.settings().get("memory");
    if (m != null && !m.isNull()) {
      try {
        memory = m.isNumber() ? m.asLong() : ByteSizes.parse(m.asText());
      } catch (IllegalArgumentException e) {
        throw Settings.bad(f, "memory", "must be a size such as 64MB or 1GB, got " + m);
      }
      if (memory < 6L * 1024 * 1024) {
        throw Settings.bad(f, "memory", "must be at least 6MB (the engine's minimum), got " + m);
      }
    }
    double cpus = Settings.nonNegativeNumber(f, "cpus", DEFAULT_CPUS);
    if (cpus <= 0) {
      throw Settings.bad(f, "cpus", "must be more than 0 (every container has a CPU limit)");
    }
    long pids = Settings.nonNegativeLong(f, "pids", DEFAULT_PIDS);
    if (pids < 8 || pids > 1_000_000) {
      throw Settings.bad(f, "pids", "must be between 8 and 1000000, got " + pids);
    }
    JsonNode ro = f.settings().get("readOnlyRoot");
    if (ro != null && !ro.isNull() && !ro.isBoolean()) {
      throw Settings.bad(f, "readOnlyRoot", "must be true or false, got " + ro);
    }
    boolean readOnlyRoot = ro == null || ro.isNull() || ro.asBoolean();
    long concurrency = Settings.nonNegativeLong(f, "concurrency", 1);
    if (concurrency < 1 || concurrency > 1000) {
      throw Settings.bad(f, "concurrency", "must be between 1 and 1000, got " + concurrency);
    }
    Duration keepAlive = Settings.duration(f, "keepAlive");
    long prewarm = Settings.nonNegativeLong(f, "prewarm", 0);
    long max =
        Settings.nonNegativeLong(f, "maxContainers", Math.max(DEFAULT_MAX_CONTAINERS, prewarm));
    if (max < 1 || max > 1000) {
      throw Settings.bad(f, "maxContainers", "must be between 1 and 1000, got " + max);
    }
    if (prewarm > max) {
      throw Settings.bad(
          f, "prewarm", "must not exceed maxContainers (" + max + "), got " + prewarm);
    }
    return new DockerSpec(
        image,
        code,
        main == null ? "main" : main,
        memory,
        cpus,
        pids,
        readOnlyRoot,
        Settings.env(f, RESERVED_ENV),
        (int) concurrency,
        keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive,
        (int) prewarm,
        (int) max);
  }
}
