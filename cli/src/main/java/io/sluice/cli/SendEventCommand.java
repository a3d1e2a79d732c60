package io.sluice.cli;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.grpc.StatusRuntimeException;
import io.sluice.client.Inputs;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.SendEventRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice send-event}: delivers a CloudEvent to a waiting instance. */
@Command(
    name = "send-event",
    mixinStandardHelpOptions = true,
    description = {
      "Sends a CloudEvent to an instance's event waits through the master.",
      "Exit 0 when an instance took it, 1 when none did, 2 for bad input or no master."
    })
final class SendEventCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Option(names = "--instance", required = true, paramLabel = "ID", description = "the instance")
  String instance;

  @Option(names = "--type", required = true, description = "the event type")
  String type;

  @Option(names = "--data", paramLabel = "JSON|@FILE", description = "the event data (JSON)")
  String data;

  @Option(names = "--id", description = "the event id (default: a random UUID)")
  String id;

  @Option(
      names = "--source",
      defaultValue = "sluice://cli",
      paramLabel = "URI",
      description = "the event source (default ${DEFAULT-VALUE})")
  String source;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    URI src;
    try {
      src = URI.create(source);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, "--source must be a URI, got " + source);
    }
    var b =
        CloudEventBuilder.v1()
            .withId(id == null ? UUID.randomUUID().toString() : id)
            .withType(type)
            .withSource(src)
            .withSubject(instance);
    if (data != null) {
      String text = Inputs.JSON.writeValueAsString(Inputs.parse(cl, data));
      b.withDataContentType("application/json").withData(text.getBytes(StandardCharsets.UTF_8));
    }
    try (MasterConnection c = new MasterConnection(cl, master.address)) {
      try {
        var r =
            c.stub(false)
                .sendEvent(
                    SendEventRequest.newBuilder()
                        .setInstanceId(instance)
                        .setEvent(WireMapper.cloudEvent(b.build()))
                        .build());
        if (r.getDeliveredToCount() == 0) {
          cl.getErr()
              .println(
                  "sluice: instance "
                      + instance
                      + " took no event of type "
                      + type
                      + " (finished, or no worker holds a waiting node for it)");
          return Main.EXIT_FAILED;
        }
        cl.getOut().println("delivered to " + String.join(", ", r.getDeliveredToList()));
        return 0;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}
