package io.sluice.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds {@code authorization: Bearer TOKEN} to every call, the token read from the file {@code
 * --token-file} or {@code SLUICE_TOKEN_FILE} names: never from the command line, which {@code ps}
 * shows.
 */
final class BearerHeader implements ClientInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String header;

  private BearerHeader(String token) {
    this.header = "Bearer " + token;
  }

  /** The token in {@code file}; a missing, unreadable or empty file is one line and exit 2. */
  static BearerHeader fromFile(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliFailure(Main.EXIT_INVALID, "cannot read the token file " + file + ": " + e);
    }
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          "the token file " + file + " must hold one token (printable ASCII, no spaces)");
    }
    return new BearerHeader(token);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        headers.put(AUTHORIZATION, header);
        super.start(listener, headers);
      }
    };
  }
}
