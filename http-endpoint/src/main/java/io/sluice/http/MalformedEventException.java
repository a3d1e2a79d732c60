package io.sluice.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request to {@code /events} that holds no valid CloudEvent; the message says what is wrong. */
final class MalformedEventException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient HttpResponseStatus status;

  MalformedEventException(String message) {
    this(HttpResponseStatus.BAD_REQUEST, message);
  }

  MalformedEventException(HttpResponseStatus status, String message) {
    super(message);
    this.status = status;
  }

  HttpResponseStatus status() {
    return status;
  }
}
