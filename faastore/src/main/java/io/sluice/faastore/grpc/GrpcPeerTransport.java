package io.sluice.faastore.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.PeerTransport;
import io.sluice.faastore.StoreException;
import io.sluice.faastore.StoreUnavailableException;
import io.sluice.proto.DataChunk;
import io.sluice.proto.DropInstanceDataRequest;
import io.sluice.proto.DropInstanceDataResponse;
import io.sluice.proto.FetchDataRequest;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.proto.PushDataResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Moves values between workers over the peer gRPC service: one Netty channel per peer address
 * (plaintext, or TLS with the credentials given); a push streams the value in chunks as fast as the
 * peer takes them (outbound flow control), a fetch assembles the peer's chunk stream into one
 * allocation; a channel is dialled where its {@link AddressRouter} routes the peer's address (an
 * emulated link, or the address itself). Every call is bounded by the options' timeout; an
 * unreachable or silent peer gives a {@link StoreUnavailableException} naming it, a peer that
 * refuses a value a non-retryable {@code StoreException}.
 */
public final class GrpcPeerTransport implements PeerTransport, AutoCloseable {
  private final PeerAddresses addresses;
  private final GrpcPeerOptions options;
  private final AddressRouter links;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private final io.grpc.ChannelCredentials credentials;

  private GrpcPeerTransport(
      PeerAddresses addresses,
      GrpcPeerOptions options,
      AddressRouter links,
      io.grpc.ChannelCredentials credentials) {
    this.credentials = credentials;
    this.addresses = addresses;
    this.options = options;
    this.links = links;
  }

  /** A transport reaching workers at {@code addresses}; channels open on first use. */
  public static GrpcPeerTransport create(PeerAddresses addresses, GrpcPeerOptions options) {
    return create(addresses, options, AddressRouter.DIRECT);
  }

  /** As above, each channel dialled where {@code links} routes the peer's address. */
  public static GrpcPeerTransport create(
      PeerAddresses addresses, GrpcPeerOptions options, AddressRouter links) {
    return create(addresses, options, links, io.grpc.InsecureChannelCredentials.create());
  }

  /**
   * As above, each channel with {@code credentials} (TLS between workers: {@code
   * TlsContexts#channel(WORKER)}).
   */
  public static GrpcPeerTransport create(
      PeerAddresses addresses,
      GrpcPeerOptions options,
      AddressRouter links,
      io.grpc.ChannelCredentials credentials) {
    return new GrpcPeerTransport(addresses, options, links, credentials);
  }

  @Override
  public CompletionStage<Void> push(String workerId, DataKey key, Blob value) {
    return call(
        workerId,
        "push of " + key + " (" + value.size() + " bytes)",
        (channel, result) -> {
          PushCall push = new PushCall(result);
          StreamObserver<DataChunk> requests =
              ClientCalls.asyncClientStreamingCall(
                  channel.newCall(PeerServiceGrpc.getPushDataMethod(), callOptions()), push);
          push.sender.start(key.toString(), value.size(), 0, value);
          return requests;
        });
  }

  @Override
  public CompletionStage<Optional<Blob>> fetch(String workerId, DataKey key) {
    return this.<Optional<Blob>>call(
        workerId,
        "fetch of " + key,
        (channel, result) -> {
          ClientCalls.asyncServerStreamingCall(
              channel.newCall(PeerServiceGrpc.getFetchDataMethod(), callOptions()),
              FetchDataRequest.newBuilder().setKey(key.toString()).build(),
              new FetchReceiver(key, options.maxValueSize(), result));
          return null;
        });
  }

  @Override
  public CompletionStage<Void> deleteInstance(String workerId, String instanceId) {
    return call(
        workerId,
        "drop of instance " + instanceId,
        (channel, result) -> {
          ClientCalls.asyncUnaryCall(
              channel.newCall(PeerServiceGrpc.getDropInstanceDataMethod(), callOptions()),
              DropInstanceDataRequest.newBuilder().setInstanceId(instanceId).build(),
              new StreamObserver<DropInstanceDataResponse>() {
                @Override
                public void onNext(DropInstanceDataResponse value) {}

                @Override
                public void onError(Throwable t) {
                  result.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                  result.complete(null);
                }
              });
          return null;
        });
  }

  /** Closes every channel; calls still running fail. */
  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels.values()) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    channels.clear();
  }

  private interface Call<T> {
    Object start(ManagedChannel channel, CompletableFuture<T> result);
  }

  /** Starts {@code call} on the worker's channel; maps its failure, naming the peer. */
  private <T> CompletionStage<T> call(String workerId, String what, Call<T> call) {
    Optional<String> address = addresses.addressOf(workerId);
    if (address.isEmpty()) {
      return CompletableFuture.failedFuture(
          new StoreUnavailableException(
              what + ": no address known for peer worker " + workerId + "; is it registered?",
              null));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    // Store traffic outlives whatever call or event caused it (e.g. a CancelInstance that frees
    // data): never inherit a gRPC context that is cancelled when that call ends.
    io.grpc.Context previous = io.grpc.Context.ROOT.attach();
    try {
      call.start(channels.computeIfAbsent(address.get(), this::open), result);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    } finally {
      io.grpc.Context.ROOT.detach(previous);
    }
    return result.handle(
        (v, e) -> {
          if (e != null) {
            throw toStoreException(e, what, workerId, address.get());
          }
          return v;
        });
  }

  private ManagedChannel open(String address) {
    return NettyChannelBuilder.forTarget(links.route(address), credentials)
        .maxInboundMessageSize(options.maxInboundMessageSize())
        .flowControlWindow(options.flowControlWindow())
        .build();
  }

  private CallOptions callOptions() {
    return CallOptions.DEFAULT.withDeadlineAfter(
        options.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** One push: chunks go out whenever the stream is ready; the peer's answer completes it. */
  private final class PushCall implements ClientResponseObserver<DataChunk, PushDataResponse> {
    private final CompletableFuture<Void> result;
    private ChunkSender sender;

    PushCall(CompletableFuture<Void> result) {
      this.result = result;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<DataChunk> requests) {
      sender = new ChunkSender(requests, options.chunkSize());
      requests.setOnReadyHandler(sender);
    }

    @Override
    public void onNext(PushDataResponse value) {}

    @Override
    public void onError(Throwable t) {
      sender.stop();
      result.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      result.complete(null);
    }
  }

  /**
   * Client side: {@code what} (e.g. "push of i/n/k") at worker {@code worker} ({@code address})
   * failed with {@code error}. Failures that {@link GrpcErrors#retryable} calls retryable (the peer
   * is down, slow or restarting) become {@link StoreUnavailableException}s, so the tiered store
   * falls back to Redis; a peer's refusal is a {@link StoreException}.
   */
  static StoreException toStoreException(
      Throwable error, String what, String worker, String address) {
    Throwable e = error;
    while ((e instanceof java.util.concurrent.CompletionException
            || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof StoreException se) {
      return se;
    }
    String context = what + " at peer worker " + worker + " (" + address + ")";
    if (GrpcErrors.retryable(e)) {
      return new StoreUnavailableException(
          context
              + " failed: "
              + GrpcErrors.describe(e)
              + "; the peer is down, unreachable or slow, retry or read from the remote store",
          e);
    }
    return new StoreException(context + " was refused: " + GrpcErrors.describe(e), e);
  }
}
