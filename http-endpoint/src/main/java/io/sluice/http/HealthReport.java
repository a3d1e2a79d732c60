package io.sluice.http;

import java.util.Map;
import java.util.Objects;

/**
 * What {@code GET /health} answers: {@code {"status": ..., "role": ..., "id": ..., details...}}
 * with HTTP 200 when the status is {@code ok}, else 503 (so a launcher waits until it is ok).
 *
 * @param status {@code ok} when the process serves, anything else (e.g. {@code starting}) when not
 * @param role {@code master} or {@code worker}
 * @param id the process's id in the cluster (a worker id, or {@code master})
 * @param details more fields for the body, e.g. a reason when not ok
 */
public record HealthReport(String status, String role, String id, Map<String, String> details) {
  public static final String OK = "ok";

  public HealthReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(id, "id");
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public static HealthReport ok(String role, String id) {
    return new HealthReport(OK, role, id, Map.of());
  }

  /** Not ready: {@code status} says what the process is doing, {@code reason} why. */
  public static HealthReport notReady(String role, String id, String status, String reason) {
    return new HealthReport(status, role, id, Map.of("reason", reason));
  }

  public boolean ready() {
    return OK.equals(status);
  }
}
