package io.sluice.master.audit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.sluice.proto.CancelRequest;
import io.sluice.proto.DrainWorkerRequest;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.InvokeResponse;
import io.sluice.proto.RedriveRequest;
import io.sluice.proto.RegisterWorkflowResponse;
import io.sluice.proto.RetireWorkflowRequest;
import io.sluice.proto.SendEventRequest;
import io.sluice.proto.WorkflowRef;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * On the master's WorkflowService: puts each call's remote address in the gRPC {@link Context}
 * ({@link #CLIENT}, the key of per-client event rates) and writes one {@link AuditLog} line when a
 * call that changes what the cluster runs ends, with what it named (from its request and reply) and
 * its status. Reads ({@code Get*}, {@code List*}, {@code Watch*}) are not audited.
 */
public final class AuditInterceptor implements ServerInterceptor {
  /** The caller's host (no port): one client however many connections it opens. */
  public static final Context.Key<String> CLIENT = Context.key("sluice-client");

  /**
   * Where an inner interceptor that authenticated the caller puts its name (the audit line's
   * principal); stays {@code anonymous} without one.
   */
  public static final Context.Key<AtomicReference<String>> PRINCIPAL =
      Context.key("sluice-principal");

  private static final Set<String> AUDITED =
      Set.of(
          "RegisterWorkflow",
          "Invoke",
          "InvokeAndWait",
          "Cancel",
          "Redrive",
          "RetireWorkflow",
          "SendEvent",
          "DrainWorker");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    AtomicReference<String> principal = new AtomicReference<>(AuditLog.ANONYMOUS);
    Context ctx = Context.current().withValue(CLIENT, host(remote)).withValue(PRINCIPAL, principal);
    String method = call.getMethodDescriptor().getBareMethodName();
    if (method == null || !AUDITED.contains(method)) {
      return Contexts.interceptCall(ctx, call, headers, next);
    }
    Map<String, String> what = new LinkedHashMap<>();
    String from = address(remote);
    ServerCall<Q, R> audited =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(R message) {
            reply(message, what);
            super.sendMessage(message);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            AuditLog.write(
                method,
                principal.get(),
                from,
                what,
                status.isOk() ? "ok" : status.getCode().name());
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener = Contexts.interceptCall(ctx, audited, headers, next);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        request(message, what);
        super.onMessage(message);
      }
    };
  }

  /** The client key of an address: its host, or {@code unknown}. */
  public static String host(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i.getHostString() : "unknown";
  }

  /** {@code host:port} of an address, or {@code unknown}. */
  public static String address(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : "unknown";
  }

  private static void request(Object m, Map<String, String> what) {
    if (m instanceof InvokeRequest r) {
      what.put("workflow", ref(r.getWorkflow()));
      what.put("instance", r.getInstanceId());
    } else if (m instanceof CancelRequest r) {
      what.put("instance", r.getInstanceId());
    } else if (m instanceof RedriveRequest r) {
      what.put("instance", r.getInstanceId());
    } else if (m instanceof RetireWorkflowRequest r) {
      what.put("workflow", ref(r.getWorkflow()));
      what.put("undo", Boolean.toString(r.getUndo()));
    } else if (m instanceof SendEventRequest r) {
      what.put("instance", r.getInstanceId());
      what.put("eventType", r.getEvent().getType());
      what.put("eventId", r.getEvent().getId());
    } else if (m instanceof DrainWorkerRequest r) {
      what.put("worker", r.getWorkerId());
      what.put("undo", Boolean.toString(r.getUndo()));
    }
  }

  private static void reply(Object m, Map<String, String> what) {
    if (m instanceof InvokeResponse r) {
      what.put("instance", r.getInstanceId());
    } else if (m instanceof RegisterWorkflowResponse r) {
      what.put("workflow", ref(r.getWorkflow()));
    } else if (m instanceof io.sluice.proto.InstanceStatus s) {
      what.put("instance", s.getInstanceId());
    }
  }

  private static String ref(WorkflowRef r) {
    return r.getVersion().isEmpty() ? r.getName() : r.getName() + "@" + r.getVersion();
  }
}
