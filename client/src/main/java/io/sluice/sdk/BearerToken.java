package io.sluice.sdk;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Call credentials that send {@code authorization: Bearer TOKEN} with every call, the token read
 * from a file (docs/security.md, Client tokens and roles) so it never appears on a command line.
 */
public final class BearerToken extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String header;

  private BearerToken(String token) {
    this.header = "Bearer " + token;
  }

  /**
   * The token in {@code file}: its text without surrounding whitespace.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or is empty
   */
  public static BearerToken fromFile(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the token file " + file + ": " + e, e);
    }
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "the token file " + file + " must hold one token (printable ASCII, no spaces)");
    }
    return new BearerToken(token);
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Metadata m = new Metadata();
    m.put(AUTHORIZATION, header);
    try {
      applier.apply(m);
    } catch (RuntimeException e) {
      applier.fail(Status.UNAUTHENTICATED.withDescription("token not attached: " + e));
    }
  }

  @Override
  public String toString() {
    return "BearerToken[***]";
  }
}
