package io.sluice.engine;

import static io.sluice.engine.AslRunner.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retry, Catch, TimeoutSeconds and Fail of ASL states on the embedded engine. The error output
 * shape {@code {Error, Cause}} and the ResultPath of a catcher follow the AWS guide's "Handling
 * errors" page (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
class AslErrorsTest {
  private AslRunner runner;

  @BeforeEach
  void start() {
    runner = new AslRunner();
  }

  @AfterEach
  void stop() {
    runner.close();
  }

  @Test
  void retryTriesAgainUntilTheFunctionSucceeds() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"flaky\","
                + " \"Retry\": [{\"ErrorEquals\": [\"Boom\"], \"IntervalSeconds\": 1,"
                + " \"MaxAttempts\": 2, \"BackoffRate\": 1.0}], \"End\": true}}}",
            "{}");
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asText()).isEqualTo("ok after 3");
  }

  @Test
  void retryGivesUpAfterMaxAttemptsRetries() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"flaky\","
                + " \"Retry\": [{\"ErrorEquals\": [\"States.ALL\"], \"IntervalSeconds\": 1,"
                + " \"MaxAttempts\": 1}], \"End\": true}}}",
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo("Boom");
    assertThat(runner.flakyCalls.get()).isEqualTo(2);
  }

  @Test
  void catchPlacesTheErrorAtResultPathAndGoesOn() throws Exception {
    // the guide's example: "ResultPath": "$.error" keeps the input and adds {Error, Cause}
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"custom\","
                + " \"Parameters\": {\"x.$\": \"$.foo\"},"
                + " \"Catch\": [{\"ErrorEquals\": [\"CustomError\"], \"ResultPath\": \"$.error\","
                + " \"Next\": \"H\"}], \"End\": true},"
                + " \"H\": {\"Type\": \"Pass\", \"End\": true}}}",
            "{\"foo\": \"bar\"}");
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output())
        .isEqualTo(
            json(
                "{\"foo\": \"bar\", \"error\": {\"Error\": \"CustomError\", \"Cause\": \"This is a"
                    + " custom error!\"}}"));
  }

  @Test
  void catchersAreTriedInOrderAndStatesAllCatchesTheRest() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"custom\","
                + " \"Catch\": [{\"ErrorEquals\": [\"Other\"], \"Next\": \"A\"},"
                + " {\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"B\"}], \"End\": true},"
                + " \"A\": {\"Type\": \"Pass\", \"Result\": \"A\", \"End\": true},"
                + " \"B\": {\"Type\": \"Pass\", \"End\": true}}}",
            "{}");
    assertThat(s.output())
        .isEqualTo(json("{\"Error\": \"CustomError\", \"Cause\": \"This is a custom error!\"}"));
  }

  @Test
  void timeoutSecondsFailsWithStatesTimeout() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"hang\","
                + " \"TimeoutSeconds\": 1, \"Catch\": [{\"ErrorEquals\": [\"States.Timeout\"],"
                + " \"ResultPath\": null, \"Next\": \"Late\"}], \"End\": true},"
                + " \"Late\": {\"Type\": \"Pass\", \"Result\": \"timed out\", \"ResultPath\":"
                + " \"$.status\", \"End\": true}}}",
            "{\"id\": 1}");
    assertThat(s.output()).isEqualTo(json("{\"id\": 1, \"status\": \"timed out\"}"));
  }

  @Test
  void failEndsTheExecutionWithItsErrorAndCause() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\", \"Error\":"
                + " \"ErrorA\", \"Cause\": \"Kaiju attack\"}}}",
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo("ErrorA");
    assertThat(s.error().message()).contains("Kaiju attack");
  }

  @Test
  void aBranchFailureFailsTheParallelAndItsCatcherGetsTheError() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Parallel\", \"Branches\": ["
                + "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}},"
                + "{\"StartAt\": \"B\", \"States\": {\"B\": {\"Type\": \"Fail\", \"Error\":"
                + " \"BranchBroke\"}}}],"
                + " \"Catch\": [{\"ErrorEquals\": [\"BranchBroke\"], \"ResultPath\": \"$.e\","
                + " \"Next\": \"H\"}], \"End\": true},"
                + " \"H\": {\"Type\": \"Pass\", \"OutputPath\": \"$.e.Error\", \"End\": true}}}",
            "{\"k\": 1}");
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asText()).isEqualTo("BranchBroke");
  }

  @Test
  void aMissingPathIsStatesRuntime() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"InputPath\":"
                + " \"$.nope\", \"End\": true}}}",
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo("ExpressionFailed");
    assertThat(s.error().message()).contains("States.Runtime");
  }
}
