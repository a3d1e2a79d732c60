package io.sluice.http;

/**
 * Decides whether a request to {@code /metrics}, {@code /events} or the options' routes may go on,
 * and who sent it (the master's client tokens and browser sessions, docs/security.md); {@code
 * /health} is never guarded.
 */
@FunctionalInterface
public interface HttpGuard {
  /** Lets every request through, anonymously. */
  HttpGuard OPEN = call -> Verdict.ANONYMOUS;

  /**
   * Who sent the request, or the answer that refuses it.
   *
   * @param call the request (its caller is {@link HttpCaller#ANONYMOUS})
   */
  Verdict check(HttpCall call);

  /**
   * A guard's decision.
   *
   * @param refusal the answer that refuses the request (401, 403 ...), or null to serve it
   * @param caller who sent it (when served)
   */
  record Verdict(HttpAnswer refusal, HttpCaller caller) {
    public static final Verdict ANONYMOUS = new Verdict(null, HttpCaller.ANONYMOUS);

    public static Verdict refuse(HttpAnswer a) {
      return new Verdict(a, HttpCaller.ANONYMOUS);
    }

    public static Verdict allow(HttpCaller c) {
      return new Verdict(null, c);
    }
  }
}
