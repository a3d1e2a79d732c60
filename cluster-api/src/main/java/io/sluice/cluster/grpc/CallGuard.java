package io.sluice.cluster.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What every call of every server of the project goes through (installed by {@link GrpcServer}).
 *
 * <p>A status description is cut to {@value #MAX_DESCRIPTION} characters: descriptions often quote
 * the client's input (an id, a file name, a definition line), and a long one in the trailers
 * exceeds the client's header list limit, so the client saw a bare INTERNAL "http2 exception"
 * instead of the status the server chose.
 *
 * <p>It makes a request that cannot be decoded (truncated, bit-flipped, not protobuf at all,
 * invalid UTF-8 in a string field) end its call with INVALID_ARGUMENT naming the method. Without
 * it, gRPC decodes in its own listener, answers UNKNOWN ("Application error processing RPC") or
 * INTERNAL and logs the parser's stack trace at SEVERE for every such frame: a client's mistake
 * reported as the server's fault, and a log any client can flood.
 *
 * <p>Each method is re-registered with a pass-through request marshaller; the handler decodes with
 * the method's own marshaller (the same zero-copy path) and, on failure, closes the call and drops
 * the rest of it, so the service never sees a half-decoded stream.
 */
final class CallGuard {
  /** Longest status description sent (the client's default header list limit is 8 KiB). */
  static final int MAX_DESCRIPTION = 1024;

  private static final MethodDescriptor.Marshaller<InputStream> PASS_THROUGH =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  private CallGuard() {}

  /**
   * {@code service} with every method guarded. The guarded service keeps the original's schema
   * descriptor (the .proto it came from), so server reflection still describes it.
   */
  static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> guarded = new ArrayList<>();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      ServerMethodDefinition<?, ?> g = guarded(m);
      guarded.add(g);
      descriptor.addMethod(g.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
    guarded.forEach(b::addMethod);
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, R> guarded(
      ServerMethodDefinition<Q, R> m) {
    MethodDescriptor<Q, R> original = m.getMethodDescriptor();
    MethodDescriptor<InputStream, R> raw =
        original.toBuilder(PASS_THROUGH, original.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = m.getServerCallHandler();
    return ServerMethodDefinition.create(
        raw, (call, headers) -> start(original, handler, call, headers));
  }

  private static <Q, R> ServerCall.Listener<InputStream> start(
      MethodDescriptor<Q, R> original,
      ServerCallHandler<Q, R> handler,
      ServerCall<InputStream, R> call,
      Metadata headers) {
    Guarded<Q, R> guarded = new Guarded<>(call, original);
    ServerCall.Listener<Q> inner = handler.startCall(guarded, headers);
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(InputStream message) {
        if (guarded.rejected) {
          return;
        }
        Q request;
        try {
          request = original.parseRequest(message);
        } catch (RuntimeException e) {
          guarded.reject(e);
          return;
        }
        inner.onMessage(request);
      }

      @Override
      public void onHalfClose() {
        if (!guarded.rejected) {
          inner.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        inner.onCancel();
      }

      @Override
      public void onComplete() {
        inner.onComplete();
      }

      @Override
      public void onReady() {
        if (!guarded.rejected) {
          inner.onReady();
        }
      }
    };
  }

  /** {@code status} with its description cut to {@link #MAX_DESCRIPTION} characters. */
  static Status bounded(Status status) {
    String d = status.getDescription();
    if (d == null || d.length() <= MAX_DESCRIPTION) {
      return status;
    }
    return status.withDescription(
        d.substring(0, MAX_DESCRIPTION)
            + "... ("
            + (d.length() - MAX_DESCRIPTION)
            + " more chars)");
  }

  /** The call as the service sees it: its own descriptor; silent once the guard closed it. */
  private static final class Guarded<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> original;
    volatile boolean rejected;
    private boolean closed;

    Guarded(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> original) {
      this.call = call;
      this.original = original;
    }

    synchronized void reject(RuntimeException cause) {
      if (rejected) {
        return;
      }
      rejected = true;
      if (closed) {
        return; // the service has already ended the call; the frame is dropped
      }
      Throwable root = cause.getCause() != null ? cause.getCause() : cause;
      call.close(
          bounded(
              Status.INVALID_ARGUMENT.withDescription(
                  "malformed " + original.getFullMethodName() + " request: " + root.getMessage())),
          new Metadata());
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return original;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!rejected) {
        call.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!rejected) {
        call.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!rejected && !closed) {
        closed = true;
        call.close(bounded(status), trailers);
      }
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public io.grpc.Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public io.grpc.SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }
  }
}
