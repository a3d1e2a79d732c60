package io.sluice.runtime.aws;

import io.sluice.runtime.FunctionException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * The runtime's Lambda clients, one per (region, endpoint), all on one asynchronous Netty HTTP
 * client so connections are pooled across functions. A client is built on the runtime's I/O threads
 * the first time it is needed, since finding the region and credentials through the SDK's default
 * chains may read files or ask the instance metadata service; a call never waits for that on the
 * caller's thread. Building fails with {@link FunctionException#BAD_CONFIGURATION} when no region
 * or no credentials can be found, and is tried again by the next call.
 *
 * <p>The clients never retry: the node's retry policy decides, with the error types of {@link
 * LambdaErrors}.
 */
final class LambdaClients implements AutoCloseable {
  /** Lambda runs a function for up to 15 minutes; a response is not awaited longer. */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(16);

  /** Lambda's default concurrency quota per region. */
  static final int MAX_CONNECTIONS = 1000;

  private record Key(String region, URI endpoint) {}

  private final ExecutorService io;
  private final Map<Key, CompletableFuture<LambdaAsyncClient>> clients = new ConcurrentHashMap<>();
  private final AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
  private SdkAsyncHttpClient http;
  private boolean closed;

  LambdaClients(ExecutorService io) {
    this.io = io;
  }

  /** The client for {@code spec}'s region and endpoint, built on first use. */
  CompletableFuture<LambdaAsyncClient> client(LambdaSpec spec, String what) {
    Key key = new Key(spec.ownRegion(), spec.endpoint());
    CompletableFuture<LambdaAsyncClient> c = clients.get(key);
    if (c != null && !c.isCompletedExceptionally()) {
      return c;
    }
    CompletableFuture<LambdaAsyncClient> fresh = new CompletableFuture<>();
    CompletableFuture<LambdaAsyncClient> old = clients.putIfAbsent(key, fresh);
    if (old != null && !old.isCompletedExceptionally()) {
      return old;
    }
    if (old != null) {
      clients.replace(key, old, fresh);
    }
    try {
      io.execute(() -> build(key, what, fresh));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      clients.remove(key, fresh);
      fresh.completeExceptionally(
          new FunctionException(
              FunctionException.FUNCTION_FAILED,
              "the aws-lambda function runtime is closed; no function can run on it",
              false));
    }
    return fresh;
  }

  private void build(Key key, String what, CompletableFuture<LambdaAsyncClient> into) {
    try {
      Region region = Region.of(key.region() != null ? key.region() : defaultRegion(what));
      try {
        credentials.resolveCredentials();
      } catch (SdkClientException e) {
        throw new FunctionException(
            FunctionException.BAD_CONFIGURATION,
            what
                + ": no AWS credentials found on this worker by the SDK's default chain (system"
                + " properties aws.accessKeyId/aws.secretAccessKey, environment variables"
                + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token, a profile in"
                + " ~/.aws (AWS_PROFILE), container or instance credentials): "
                + e.getMessage(),
            false);
      }
      var builder =
          LambdaAsyncClient.builder()
              .httpClient(http())
              .credentialsProvider(credentials)
              .region(region)
              .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
      if (key.endpoint() != null) {
        builder.endpointOverride(key.endpoint());
      }
      LambdaAsyncClient client = builder.build();
      synchronized (this) {
        if (closed) {
          client.close();
          throw new FunctionException(
              FunctionException.FUNCTION_FAILED,
              "the aws-lambda function runtime was closed while its client was built",
              false);
        }
      }
      into.complete(client);
    } catch (FunctionException e) {
      clients.remove(key, into);
      into.completeExceptionally(e);
    } catch (RuntimeException e) {
      clients.remove(key, into);
      into.completeExceptionally(
          new FunctionException(
              FunctionException.BAD_CONFIGURATION,
              what + ": cannot build the Lambda client: " + e.getMessage(),
              false,
              e));
    }
  }

  private static String defaultRegion(String what) {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      throw new FunctionException(
          FunctionException.BAD_CONFIGURATION,
          what
              + ": no AWS region: set the function's 'region' setting, or on the worker AWS_REGION,"
              + " the aws.region system property or a profile's region ("
              + e.getMessage()
              + ")",
          false);
    }
  }

  /** The shared HTTP client, made on first use (its event loop threads are daemons). */
  private synchronized SdkAsyncHttpClient http() {
    if (closed) {
      throw new IllegalStateException("the aws-lambda function runtime is closed");
    }
    if (http == null) {
      http =
          NettyNioAsyncHttpClient.builder()
              .eventLoopGroup(
                  SdkEventLoopGroup.builder()
                      .numberOfThreads(2)
                      .threadFactory(daemons("sluice-lambda-netty"))
                      .build())
              .maxConcurrency(MAX_CONNECTIONS)
              .readTimeout(READ_TIMEOUT)
              .connectionAcquisitionTimeout(Duration.ofSeconds(60))
              .tcpKeepAlive(true)
              .build();
    }
    return http;
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    SdkAsyncHttpClient h;
    synchronized (this) {
      closed = true;
      h = http;
      http = null;
    }
    for (CompletableFuture<LambdaAsyncClient> c : clients.values()) {
      c.thenAccept(LambdaAsyncClient::close);
    }
    clients.clear();
    if (h != null) {
      h.close();
    }
    if (credentials instanceof AutoCloseable a) {
      try {
        a.close();
      } catch (Exception e) {
        // nothing held that matters: the provider only caches credentials
      }
    }
  }
}
