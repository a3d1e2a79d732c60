package io.sluice.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.ListWorkflowsResponse;
import io.sluice.proto.WorkflowServiceGrpc.WorkflowServiceImplBase;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenFile}: the file's token goes with every call as {@code authorization: Bearer}. */
class TokenFileTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;

  @Test
  void sendsTheFilesTokenAndReportsARefusal() throws Exception {
    List<String> seen = new ArrayList<>();
    ServerInterceptor check =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String a = headers.get(AUTHORIZATION);
            seen.add(String.valueOf(a));
            if (!"Bearer s3cret".equals(a)) {
              call.close(
                  Status.UNAUTHENTICATED.withDescription("missing or unknown token"),
                  new Metadata());
              return new ServerCall.Listener<>() {};
            }
            return next.startCall(call, headers);
          }
        };
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void listWorkflows(
              ListWorkflowsRequest r, StreamObserver<ListWorkflowsResponse> out) {
            out.onNext(ListWorkflowsResponse.getDefaultInstance());
            out.onCompleted();
          }
        };
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(service, check))
            .build()
            .start();
    String at = "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    Path file = dir.resolve("token");
    Files.writeString(file, "s3cret\n");
    try (SluiceClient good = SluiceClient.builder().target(at).tokenFile(file).build();
        SluiceClient none = SluiceClient.builder().target(at).tokenFile(null).build()) {
      assertThat(good.listWorkflows()).isEmpty();
      assertThatThrownBy(none::listWorkflows)
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("UNAUTHENTICATED: missing or unknown token");
    } finally {
      server.shutdownNow();
    }
    assertThat(seen).containsExactly("Bearer s3cret", "null");
    assertThatThrownBy(
            () -> SluiceClient.builder().target(at).tokenFile(dir.resolve("absent")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the token file");
  }
}
