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
      "Sends a CloudEvent to waiting instances through the master.",
      "To --instance, or (without it) to the instances whose event waits correlate with it (by"
          + " --subject, an --extension or jq over the data).",
      "Exit 0 when an instance took it (or the master holds it for a wait that has not started),"
          + " 1 when none did, 2 for bad input or no master."
    })
final class SendEventCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Option(
      names = "--instance",
      paramLabel = "ID",
      description = "the instance (default: route by correlation)")
  String instance;

  @Option(
      names = "--subject",
      paramLabel = "SUBJECT",
      description = "the event's subject (default: the instance id when --instance is given)")
  String subject;

  @Option(
      names = "--extension",
      paramLabel = "NAME=VALUE",
      description = "an extension attribute (repeatable), e.g. orderid=42")
  java.util.Map<String, String> extensions = new java.util.LinkedHashMap<>();

  @Option(
      names = "--type",
      required = true,
      paramLabel = "TYPE",
      description = "the event type (required)")
  String type;

  @Option(
      names = "--data",
      paramLabel = "JSON|@FILE",
      description = "the event data: inline JSON or @FILE (sent as application/json)")
  String data;

  @Option(names = "--id", paramLabel = "ID", description = "the event id (default: a random UUID)")
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
            .withSource(src);
    String subj = subject != null ? subject : instance;
    if (subj != null) {
      b.withSubject(subj);
    }
    for (var e : extensions.entrySet()) {
      if (!io.sluice.model.EventWaitNode.Correlate.EXTENSION_NAME.matcher(e.getKey()).matches()) {
        throw new ParameterException(
            cl, "--extension " + e.getKey() + ": names are 1-20 lower-case letters or digits");
      }
      b.withExtension(e.getKey(), e.getValue());
    }
    if (data != null) {
      String text = Inputs.JSON.writeValueAsString(Inputs.parse(cl, "--data", data));
      b.withDataContentType("application/json").withData(text.getBytes(StandardCharsets.UTF_8));
    }
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        var req = SendEventRequest.newBuilder().setEvent(WireMapper.cloudEvent(b.build()));
        if (instance != null) {
          req.setInstanceId(instance);
        }
        var r = c.stub(false).sendEvent(req.build());
        if (r.getDeliveredToCount() > 0) {
          cl.getOut()
              .println(
                  (r.getDuplicate() ? "duplicate of an event delivered to " : "delivered to ")
                      + String.join(", ", r.getDeliveredToList()));
          return 0;
        }
        if (r.getHeld() || r.getDuplicate()) {
          cl.getOut().println(r.getOutcome() + ": " + r.getDetail());
          return 0;
        }
        cl.getErr()
            .println(
                "sluice: "
                    + (instance != null ? "instance " + instance : "no instance")
                    + " took the event of type "
                    + type
                    + ": "
                    + r.getDetail());
        return Main.EXIT_FAILED;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}
