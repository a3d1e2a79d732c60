package io.sluice.runtime.http;

import io.sluice.model.FunctionDef;
import java.net.URI;
import java.util.Optional;

/** What an {@code http} function calls, for the allow-list ({@code security.allow.http}). */
public final class HttpUrls {
  private HttpUrls() {}

  /**
   * The URL every call of {@code f} goes to (its preset's path added), or empty when the {@code
   * url} is jq evaluated per call. Throws {@link IllegalArgumentException} when the settings are
   * wrong.
   */
  public static Optional<URI> fixed(FunctionDef f) {
    return Optional.ofNullable(HttpSpec.of(f).fixedUri);
  }
}
