package io.sluice.master.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The master's audit log: one line per call that changes what the cluster runs (RegisterWorkflow,
 * Invoke, Cancel, Redrive, RetireWorkflow, SendEvent, DrainWorker, HTTP {@code /events}), on the
 * logger {@value #LOGGER} so operators can route it to its own file (docs/security.md, Audit log).
 * The fields are both the text line ({@code key=value ...}) and the MDC of the event, so the JSON
 * layout ({@code SLUICE_LOG_FORMAT=json}) writes them as one JSON object per line.
 */
public final class AuditLog {
  public static final String LOGGER = "sluice.audit";

  /** The caller until clients authenticate (issue 13: tokens and roles are other work). */
  public static final String ANONYMOUS = "anonymous";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AuditLog() {}

  /**
   * Writes one audit line.
   *
   * @param rpc the call, e.g. {@code Invoke} or {@code HTTP /events}
   * @param remote the caller's address ({@code host:port}), or {@code unknown}
   * @param what the call's subject fields in order (workflow, instance, event...); null values are
   *     left out
   * @param outcome {@code ok} or the gRPC status code / HTTP status that ended it
   */
  public static void write(String rpc, String remote, Map<String, String> what, String outcome) {
    write(rpc, ANONYMOUS, remote, what, outcome);
  }

  /** As {@link #write(String, String, Map, String)} for an authenticated caller. */
  public static void write(
      String rpc, String principal, String remote, Map<String, String> what, String outcome) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("audit", rpc);
    fields.put("time", Instant.now().toString());
    fields.put("principal", principal == null ? ANONYMOUS : principal);
    fields.put("remote", remote == null ? "unknown" : remote);
    what.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            fields.put(k, v);
          }
        });
    fields.put("outcome", outcome);
    StringBuilder line = new StringBuilder(160);
    fields.forEach((k, v) -> line.append(k).append('=').append(quoted(v)).append(' '));
    line.setLength(line.length() - 1);
    Map<String, String> before = MDC.getCopyOfContextMap();
    try {
      fields.forEach(MDC::put);
      LOG.info("{}", line);
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }

  /** A value as a key=value line shows it: quoted when it holds a space, quote or '='. */
  static String quoted(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == '"' || c == '=') {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
      }
    }
    return v;
  }
}
