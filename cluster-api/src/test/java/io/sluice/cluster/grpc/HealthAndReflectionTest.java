package io.sluice.cluster.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.ClusterServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every server built by {@link GrpcServer} answers the standard gRPC health check (what probes and
 * load balancers call) and server reflection (what grpcurl uses to list and describe services),
 * with the project's services still described although {@link CallGuard} re-registers their
 * methods.
 */
class HealthAndReflectionTest {
  private GrpcServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server =
        GrpcServer.forAddress("test", "127.0.0.1", 0)
            .service(new ClusterServiceGrpc.ClusterServiceImplBase() {})
            .start();
    channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void healthIsServingForTheServerAndEachServiceAndUnknownForOthers() {
    var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService(ClusterServiceGrpc.SERVICE_NAME)
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThatThrownBy(
            () -> health.check(HealthCheckRequest.newBuilder().setService("no.Such").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void reflectionListsAndDescribesTheServices() throws Exception {
    List<ServerReflectionResponse> answers =
        reflect(
            ServerReflectionRequest.newBuilder().setListServices("").build(),
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol(ClusterServiceGrpc.SERVICE_NAME)
                .build());
    List<String> services =
        answers.get(0).getListServicesResponse().getServiceList().stream()
            .map(ServiceResponse::getName)
            .toList();
    assertThat(services)
        .contains(
            ClusterServiceGrpc.SERVICE_NAME,
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection");
    List<String> files = new ArrayList<>();
    for (var bytes : answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(bytes).getName());
    }
    assertThat(files).contains("sluice/v1/cluster_service.proto");
  }

  /** One reflection stream: each request's answer, in order. */
  private List<ServerReflectionResponse> reflect(ServerReflectionRequest... requests)
      throws Exception {
    List<ServerReflectionResponse> answers = new ArrayList<>();
    CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> out =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    answers.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(answers);
                  }
                });
    for (var r : requests) {
      out.onNext(r);
    }
    out.onCompleted();
    return done.get(10, TimeUnit.SECONDS);
  }
}
