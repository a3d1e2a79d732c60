package io.sluice.http;

/**
 * Who sent a request, as the endpoint's {@link HttpGuard} established it: {@link #ANONYMOUS} when
 * nothing is checked (no tokens), else the token's (or session's) name and role.
 *
 * @param name the principal (audit lines, per-client event rates, owners of instances)
 * @param role its role's name ({@code submit}, {@code operate}, {@code admin}), or empty
 * @param cookie whether it came from a session cookie (its POSTs are checked against CSRF)
 */
public record HttpCaller(String name, String role, boolean cookie) {
  public static final HttpCaller ANONYMOUS = new HttpCaller("anonymous", "", false);

  public boolean anonymous() {
    return this == ANONYMOUS || role.isEmpty();
  }
}
