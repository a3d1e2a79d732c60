package io.sluice.cluster.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.sluice.cluster.api.ClusterException;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.model.DefinitionException;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {
  @Test
  void badInputIsInvalidArgumentWithEveryProblem() {
    assertThat(GrpcErrors.status(new IllegalArgumentException("x is missing")))
        .extracting(Status::getCode, Status::getDescription)
        .containsExactly(Status.Code.INVALID_ARGUMENT, "x is missing");
    DefinitionException d =
        new DefinitionException(
            List.of(
                new Problem(Location.UNKNOWN, "a", "first problem"),
                new Problem(Location.UNKNOWN, "b", "second problem")));
    Status s = GrpcErrors.status(new CompletionException(d));
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("first problem").contains("second problem");
  }

  @Test
  void unknownThingsAreNotFoundAndUnreachableOnesUnavailable() {
    assertThat(GrpcErrors.status(new NotFoundException("no instance i1")).getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            GrpcErrors.status(
                    new ClusterException(ClusterException.Reason.UNAVAILABLE, "redis down"))
                .getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcErrors.status(new ConnectException("refused")).getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcErrors.retryable(new ConnectException("refused"))).isTrue();
    assertThat(GrpcErrors.retryable(Status.UNAVAILABLE.asRuntimeException())).isTrue();
    assertThat(GrpcErrors.retryable(new IllegalArgumentException("x"))).isFalse();
  }

  @Test
  void anythingElseIsInternalWithItsMessage() {
    Status s = GrpcErrors.status(new IllegalStateException("broken invariant"));
    assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(s.getDescription()).isEqualTo("broken invariant");
    assertThat(GrpcErrors.status(new NullPointerException()).getDescription())
        .isEqualTo("NullPointerException");
    assertThat(GrpcErrors.status(Status.NOT_FOUND.withDescription("d").asRuntimeException()))
        .extracting(Status::getCode)
        .isEqualTo(Status.Code.NOT_FOUND);
  }
}
