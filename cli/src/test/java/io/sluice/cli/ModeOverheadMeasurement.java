package io.sluice.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowServiceGrpc;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * WorkerSP vs MasterSP end-to-end time on a 3-worker in-JVM cluster with {@code --time-scale 0} (so
 * the time is all orchestration). Prints numbers; asserts nothing. Runs only with {@code
 * -Dsluice.measure=true}.
 */
class ModeOverheadMeasurement {
  @Test
  void measure() throws Exception {
    assumeTrue(Boolean.getBoolean("sluice.measure"));
    int warmup = 10;
    int runs = 30;
    try (LocalCluster cluster = new LocalCluster(3)) {
      var ch =
          Grpc.newChannelBuilder(cluster.address(), InsecureChannelCredentials.create()).build();
      var stub = WorkflowServiceGrpc.newBlockingStub(ch);
      for (String name : new String[] {"genome", "cycles"}) {
        Path f = CliTest.CORPUS.resolve("faasflow").resolve(name).resolve("flat_workflow.yaml");
        var ref =
            stub.registerWorkflow(
                    RegisterWorkflowRequest.newBuilder()
                        .setSource(SubmitCommand.source(null, f))
                        .build())
                .getWorkflow();
        for (Mode mode : new Mode[] {Mode.MODE_WORKER, Mode.MODE_MASTER}) {
          var req =
              InvokeRequest.newBuilder()
                  .setWorkflow(ref)
                  .setMode(mode)
                  .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(0))
                  .build();
          for (int i = 0; i < warmup; i++) {
            stub.invokeAndWait(req);
          }
          double client = 0;
          double master = 0;
          long cross = 0;
          int nodes = 0;
          for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            InstanceStatus s = stub.invokeAndWait(req);
            client += (System.nanoTime() - t0) / 1e6;
            master += (s.getElapsed().getSeconds() * 1e9 + s.getElapsed().getNanos()) / 1e6;
            cross = s.getCrossWorkerEvents();
            nodes = s.getNodeCount();
            if (s.getState() != io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED) {
              throw new AssertionError(s.toString());
            }
          }
          System.out.printf(
              "MEASURE %-7s nodes=%4d %-11s client=%7.2f ms master=%7.2f ms"
                  + " crossWorkerEvents=%d (mean of %d)%n",
              name, nodes, mode, client / runs, master / runs, cross, runs);
        }
      }
      ch.shutdownNow();
    }
  }
}
