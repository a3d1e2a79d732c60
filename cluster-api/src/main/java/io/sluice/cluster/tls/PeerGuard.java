package io.sluice.cluster.tls;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.sluice.cluster.tls.CertificateAuthority.Identity;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a call to a service only from the kinds of component that may make it, as their TLS client
 * certificates say ({@link CertificateAuthority#identityOf}): WorkerService only from the master,
 * PeerService only from workers, ClusterService only from the worker a request speaks for (its
 * {@code worker_id} must be the certificate's CN). A refusal ends the call with {@code
 * UNAUTHENTICATED} (no certificate) or {@code PERMISSION_DENIED} (the wrong one), one line saying
 * why, and is logged at WARN with the caller's address. The caller's identity is in the call's
 * {@link Context} as {@link #PEER}. Only installed on TLS servers.
 */
public final class PeerGuard implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(PeerGuard.class);

  /** The verified identity of the component calling. */
  public static final Context.Key<Identity> PEER = Context.key("sluice-peer");

  private static final String SESSION_KEY = "sluice.identity";
  private final String owner;
  private final Set<Kind> kinds;
  private final boolean speaksForItself;

  private PeerGuard(String owner, Set<Kind> kinds, boolean speaksForItself) {
    this.owner = owner;
    this.kinds = EnumSet.copyOf(kinds);
    this.speaksForItself = speaksForItself;
  }

  /** Admits only callers whose certificate is of one of {@code kinds}; {@code owner} for logs. */
  public static PeerGuard require(String owner, Kind... kinds) {
    return new PeerGuard(owner, Set.of(kinds), false);
  }

  /**
   * Admits only workers, each only for requests whose {@code worker_id} is its certificate's CN
   * (ClusterService: a worker registers, heartbeats and reports only as itself).
   */
  public static PeerGuard workerAsItself(String owner) {
    return new PeerGuard(owner, Set.of(Kind.WORKER), true);
  }

  /** The identity of a TLS peer of {@code call}: empty when plaintext or it gave no certificate. */
  public static Optional<Identity> identityOf(ServerCall<?, ?> call) {
    SSLSession s = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (s == null) {
      return Optional.empty();
    }
    // read once per connection: calls on it (e.g. instance starts on the I/O thread) reuse it
    if (s.getValue(SESSION_KEY) instanceof Identity known) {
      return Optional.of(known);
    }
    try {
      Certificate[] chain = s.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        Identity id = CertificateAuthority.identityOf(x);
        s.putValue(SESSION_KEY, id);
        return Optional.of(id);
      }
      return Optional.empty();
    } catch (SSLPeerUnverifiedException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String full = call.getMethodDescriptor().getServiceName();
    String service = full == null ? "" : full.substring(full.lastIndexOf('.') + 1);
    String wanted = kinds.stream().map(Kind::unit).collect(Collectors.joining(" or "));
    Optional<Identity> id = identityOf(call);
    if (id.isEmpty()) {
      refuse(
          call,
          Status.UNAUTHENTICATED,
          service
              + " needs a "
              + wanted
              + " certificate of the cluster's CA; the caller gave none");
      return new ServerCall.Listener<>() {};
    }
    Identity who = id.get();
    if (!kinds.contains(who.kind())) {
      refuse(
          call,
          Status.PERMISSION_DENIED,
          service
              + " needs a "
              + wanted
              + " certificate; the caller's is a "
              + who.kind().unit()
              + "'s ("
              + who.name()
              + ")");
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<Q> listener =
        Contexts.interceptCall(Context.current().withValue(PEER, who), call, headers, next);
    if (!speaksForItself) {
      return listener;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        String claimed = workerId(message);
        if (claimed != null && !claimed.equals(who.name())) {
          refused = true;
          refuse(
              call,
              Status.PERMISSION_DENIED,
              "the certificate of worker "
                  + who.name()
                  + " cannot speak for worker '"
                  + claimed
                  + "' ("
                  + call.getMethodDescriptor().getBareMethodName()
                  + ")");
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  private static String workerId(Object message) {
    if (message instanceof Message m) {
      FieldDescriptor f = m.getDescriptorForType().findFieldByName("worker_id");
      if (f != null && f.getJavaType() == FieldDescriptor.JavaType.STRING) {
        return (String) m.getField(f);
      }
    }
    return null;
  }

  private void refuse(ServerCall<?, ?> call, Status status, String reason) {
    Object from = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    LOG.warn(
        "{} refused {} from {}: {}",
        owner,
        call.getMethodDescriptor().getFullMethodName(),
        from,
        reason);
    call.close(status.withDescription(reason), new Metadata());
  }
}
