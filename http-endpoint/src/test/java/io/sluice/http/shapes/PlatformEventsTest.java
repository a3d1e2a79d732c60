package io.sluice.http.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each normalizer against the platforms' documentation samples, and its errors. */
class PlatformEventsTest {

  private static CloudEvent only(List<CloudEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static JsonNode data(CloudEvent e) throws IOException {
    assertThat(e.getDataContentType()).isEqualTo("application/json");
    return Samples.JSON.readTree(e.getData().toBytes());
  }

  private static void assertEvent(
      CloudEvent e, String id, String source, String type, String subject, String time) {
    assertThat(e.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(e.getId()).isEqualTo(id);
    assertThat(e.getSource()).isEqualTo(URI.create(source));
    assertThat(e.getType()).isEqualTo(type);
    assertThat(e.getSubject()).isEqualTo(subject);
    assertThat(e.getTime()).isEqualTo(time == null ? null : OffsetDateTime.parse(time));
  }

  @ParameterizedTest(name = "{0} is recognised as {1} and by no other shape")
  @CsvSource({
    "aws-s3-put.json, aws-s3",
    "aws-sns-notification.json, aws-sns",
    "aws-sns-subscription-confirmation.json, aws-sns",
    "aws-sns-unsubscribe-confirmation.json, aws-sns",
    "aws-sns-lambda.json, aws-sns",
    "aws-sqs-lambda.json, aws-sqs",
    "aws-sqs-lambda-fifo.json, aws-sqs",
    "aws-sqs-receive-message.json, aws-sqs",
    "aws-eventbridge-ec2.json, aws-eventbridge",
    "aws-eventbridge-s3-object-created.json, aws-eventbridge",
    "gcp-pubsub-push.json, gcp-pubsub",
    "azure-eventgrid-blob-created.json, azure-eventgrid",
    "azure-eventgrid-validation.json, azure-eventgrid",
  })
  void detectionIsUnambiguousOnTheSamples(String file, String shape) {
    JsonNode body = Samples.json(file);
    assertThat(PlatformEvents.detect(body, Map.of())).map(PlatformShape::name).contains(shape);
    assertThat(PlatformEvents.shapes())
        .filteredOn(s -> s.matches(body, Map.of()))
        .extracting(PlatformShape::name)
        .containsExactly(shape);
  }

  @Test
  void s3PutFollowsTheCloudEventsAdapterPlusTheSequencer() throws Exception {
    JsonNode body = Samples.json("aws-s3-put.json");
    CloudEvent e = only(PlatformEvents.normalize("aws-s3", body, Map.of()));
    assertEvent(
        e,
        "C3D13FE58DE4C810.FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"
            + ".0055AED6DCD90281E5",
        "aws:s3.us-west-2.amzn-s3-demo-bucket",
        "com.amazonaws.s3.ObjectCreated:Put",
        "HappyFace.jpg",
        "1970-01-01T00:00:00.000Z");
    assertThat(data(e)).isEqualTo(body.get("Records").get(0));
    assertThat(PlatformEvents.normalize("aws", body, Map.of())).containsExactly(e);
    assertThat(PlatformEvents.normalize(body, Map.of())).containsExactly(e);
  }

  @Test
  void s3RecordsOfOneRequestGetDistinctIds() throws Exception {
    ObjectNode body = (ObjectNode) Samples.json("aws-s3-put.json");
    ArrayNode records = (ArrayNode) body.get("Records");
    ObjectNode second = records.get(0).deepCopy();
    ((ObjectNode) second.at("/s3/object"))
        .put("key", "SadFace.jpg")
        .put("sequencer", "0055AED6DCD90281F1");
    second.put("eventName", "ObjectRemoved:Delete");
    records.add(second);
    List<CloudEvent> events = PlatformEvents.normalize("aws-s3", body, Map.of());
    assertThat(events)
        .extracting(CloudEvent::getSubject)
        .containsExactly("HappyFace.jpg", "SadFace.jpg");
    assertThat(events.get(1).getType()).isEqualTo("com.amazonaws.s3.ObjectRemoved:Delete");
    assertThat(events.get(0).getId()).isNotEqualTo(events.get(1).getId());
  }

  @Test
  void s3ErrorsNameTheRecordAndField() {
    ObjectNode body = (ObjectNode) Samples.json("aws-s3-put.json");
    ObjectNode record = (ObjectNode) body.get("Records").get(0);
    ((ObjectNode) record.get("s3")).remove("bucket");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-s3", body, Map.of()))
        .isInstanceOf(PlatformShapeException.class)
        .hasMessage(
            "aws-s3 record 0: missing required field 's3.bucket.name' (a non-empty string)");
    record.put("eventSource", "aws:sqs");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-s3", body, Map.of()))
        .hasMessageContaining("aws-s3 record 0: eventSource is 'aws:sqs', not aws:s3");
    assertThatThrownBy(
            () ->
                PlatformEvents.normalize("aws-s3", Samples.json("gcp-pubsub-push.json"), Map.of()))
        .hasMessageContaining("aws-s3: expected an object with a \"Records\" array")
        .hasMessageContaining("got an object with fields message, subscription");
    record.put("eventSource", "aws:s3").put("eventTime", "yesterday");
    ((ObjectNode) record.get("s3")).putObject("bucket").put("name", "b");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-s3", body, Map.of()))
        .hasMessage("aws-s3 record 0: field 'eventTime' is not an RFC 3339 time: 'yesterday'");
  }

  @Test
  void snsNotificationOverHttp() throws Exception {
    JsonNode body = Samples.json("aws-sns-notification.json");
    CloudEvent e = only(PlatformEvents.normalize(body, Samples.SNS_HEADERS));
    assertEvent(
        e,
        "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "arn:aws:sns:us-west-2:123456789012:MyTopic",
        "com.amazonaws.sns.Notification",
        "My First Message",
        "2012-05-02T00:54:06.655Z");
    assertThat(data(e)).isEqualTo(body);
    assertThat(data(e).get("Message").asText()).isEqualTo("Hello world!");
    assertThat(PlatformEvents.normalize("aws-sns", body, Map.of())).containsExactly(e);
  }

  @Test
  void snsSubscriptionConfirmationIsAnsweredNotConfirmed() {
    JsonNode body = Samples.json("aws-sns-subscription-confirmation.json");
    PlatformMessage m =
        assertHandshake(
            body, Map.of("x-amz-sns-message-type", "SubscriptionConfirmation"), "aws-sns");
    PlatformMessage.Handshake h = (PlatformMessage.Handshake) m;
    assertThat(h.kind()).isEqualTo("SubscriptionConfirmation");
    assertThat(h.reply().get("result").asText()).isEqualTo("not confirmed");
    assertThat(h.reply().get("subscribeURL").asText()).isEqualTo(body.get("SubscribeURL").asText());
    assertThat(h.reply().get("message").asText())
        .contains("does not confirm SNS subscriptions by itself")
        .contains(
            "aws sns confirm-subscription --topic-arn arn:aws:sns:us-west-2:123456789012:MyTopic"
                + " --token 2336412f37...");
    assertThat(h.note()).contains("not confirmed").contains(body.get("SubscribeURL").asText());
    assertThatThrownBy(() -> PlatformEvents.normalize(body, Map.of()))
        .isInstanceOf(PlatformShapeException.class)
        .hasMessageStartingWith("aws-sns: a SubscriptionConfirmation is a handshake, not an event");

    PlatformMessage.Handshake u =
        (PlatformMessage.Handshake)
            assertHandshake(
                Samples.json("aws-sns-unsubscribe-confirmation.json"), Map.of(), "aws-sns");
    assertThat(u.kind()).isEqualTo("UnsubscribeConfirmation");
    assertThat(u.reply().get("result").asText()).startsWith("acknowledged");
  }

  private static PlatformMessage assertHandshake(
      JsonNode body, Map<String, String> headers, String shape) {
    PlatformMessage m;
    try {
      m = PlatformEvents.read(body, headers);
    } catch (PlatformShapeException e) {
      throw new AssertionError(e);
    }
    assertThat(m).isInstanceOf(PlatformMessage.Handshake.class);
    assertThat(m.shape()).isEqualTo(shape);
    return m;
  }

  @Test
  void snsUnknownTypeIsNamed() {
    ObjectNode body = (ObjectNode) Samples.json("aws-sns-notification.json");
    body.put("Type", "Gossip");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-sns", body, Map.of()))
        .hasMessageContaining("aws-sns message: unknown Type 'Gossip'");
  }

  @Test
  void snsRecordsForLambdaUseTheSnsObject() throws Exception {
    JsonNode body = Samples.json("aws-sns-lambda.json");
    CloudEvent e = only(PlatformEvents.normalize(body, Map.of()));
    assertEvent(
        e,
        "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
        "arn:aws:sns:us-east-1:123456789012:sns-lambda",
        "com.amazonaws.sns.Notification",
        "TestInvoke",
        "2019-01-02T12:45:07.000Z");
    assertThat(data(e)).isEqualTo(body.at("/Records/0/Sns"));
  }

  @Test
  void sqsLambdaEventGivesOneEventPerRecord() throws Exception {
    JsonNode body = Samples.json("aws-sqs-lambda.json");
    List<CloudEvent> events = PlatformEvents.normalize(body, Map.of());
    assertThat(events).hasSize(2);
    assertEvent(
        events.get(0),
        "059f36b4-87a3-44ab-83d2-661975830a7d",
        "arn:aws:sqs:us-east-2:123456789012:my-queue",
        "com.amazonaws.sqs.message",
        null,
        "2018-12-17T21:37:29.183Z");
    assertThat(events.get(1).getId()).isEqualTo("2e1424d4-f796-459a-8184-9c92662be6da");
    assertThat(data(events.get(1))).isEqualTo(body.at("/Records/1"));
    assertThat(data(events.get(0)).get("body").asText()).isEqualTo("Test message.");

    CloudEvent fifo =
        only(PlatformEvents.normalize(Samples.json("aws-sqs-lambda-fifo.json"), Map.of()));
    assertThat(fifo.getSubject()).as("the FIFO message group").isEqualTo("1");
    assertThat(fifo.getSource()).hasToString("arn:aws:sqs:us-east-2:123456789012:fifo.fifo");
  }

  @Test
  void sqsBareMessages() throws Exception {
    JsonNode response = Samples.json("aws-sqs-receive-message.json");
    CloudEvent e = only(PlatformEvents.normalize("aws-sqs", response, Map.of()));
    assertEvent(
        e,
        "219f8380-5770-4cc2-8c3e-5c715e145f5e",
        "aws:sqs",
        "com.amazonaws.sqs.message",
        null,
        "2023-02-23T00:33:47.387Z");
    JsonNode bare = response.at("/Messages/0");
    assertThat(data(e)).isEqualTo(bare);
    assertThat(PlatformEvents.normalize(bare, Map.of())).containsExactly(e);

    ObjectNode broken = bare.deepCopy();
    ((ObjectNode) broken.get("Attributes")).put("SentTimestamp", "soon");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-sqs", broken, Map.of()))
        .hasMessage(
            "aws-sqs message: field 'Attributes.SentTimestamp' is not milliseconds since the"
                + " epoch: 'soon'");
    broken.remove("Body");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-sqs", broken, Map.of()))
        .hasMessageContaining("expected a Lambda SQS event");
  }

  @Test
  void eventBridgeEvents() throws Exception {
    JsonNode ec2 = Samples.json("aws-eventbridge-ec2.json");
    CloudEvent e = only(PlatformEvents.normalize("aws", ec2, Map.of()));
    assertEvent(
        e,
        "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "aws.ec2",
        "EC2 Instance State-change Notification",
        "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0",
        "2017-12-22T18:43:48Z");
    assertThat(data(e)).isEqualTo(ec2);
    assertThat(data(e).at("/detail/state").asText()).isEqualTo("terminated");

    CloudEvent s3 =
        only(
            PlatformEvents.normalize(
                Samples.json("aws-eventbridge-s3-object-created.json"), Map.of()));
    assertEvent(
        s3,
        "17793124-05d4-b198-2fde-7ededc63b103",
        "aws.s3",
        "Object Created",
        "arn:aws:s3:::amzn-s3-demo-bucket1",
        "2021-11-12T00:00:00Z");

    ObjectNode noType = ec2.deepCopy();
    noType.remove("detail-type");
    assertThatThrownBy(() -> PlatformEvents.normalize("aws-eventbridge", noType, Map.of()))
        .hasMessage(
            "aws-eventbridge event: missing required field 'detail-type' (a non-empty string)");
  }

  @Test
  void pubSubPushRequest() throws Exception {
    JsonNode body = Samples.json("gcp-pubsub-push.json");
    CloudEvent e = only(PlatformEvents.normalize("gcp-pubsub", body, Map.of()));
    assertEvent(
        e,
        "2070443601311540",
        "//pubsub.googleapis.com/projects/myproject/subscriptions/mysubscription",
        "google.cloud.pubsub.topic.v1.messagePublished",
        null,
        "2021-02-26T19:13:55.749Z");
    assertThat(data(e)).isEqualTo(body);
    String decoded =
        new String(
            java.util.Base64.getDecoder().decode(data(e).at("/message/data").asText()),
            StandardCharsets.UTF_8);
    assertThat(decoded).isEqualTo("Hello Cloud Pub/Sub! Here is my message!");

    ObjectNode snake = body.deepCopy();
    ((ObjectNode) snake.get("message")).remove(List.of("messageId", "publishTime"));
    assertThat(only(PlatformEvents.normalize(snake, Map.of())).getId())
        .isEqualTo("2070443601311540");
    ((ObjectNode) snake.get("message")).remove("message_id");
    assertThatThrownBy(() -> PlatformEvents.normalize(snake, Map.of()))
        .hasMessage(
            "gcp-pubsub push request: missing required field 'message.messageId' (a non-empty"
                + " string)");
  }

  @Test
  void pubSubMessageCarryingACloudEventInBinaryMode() throws Exception {
    ObjectNode body = (ObjectNode) Samples.json("gcp-pubsub-push.json");
    ObjectNode message = (ObjectNode) body.get("message");
    message
        .putObject("attributes")
        .put("ce-specversion", "1.0")
        .put("ce-id", "order-7")
        .put("ce-type", "com.example.order.approved")
        .put("ce-source", "//orders/eu")
        .put("ce-subject", "instance-42")
        .put("content-type", "application/json");
    message.put(
        "data",
        java.util.Base64.getEncoder()
            .encodeToString("{\"orderId\":7}".getBytes(StandardCharsets.UTF_8)));
    CloudEvent e = only(PlatformEvents.normalize(body, Map.of()));
    assertEvent(e, "order-7", "//orders/eu", "com.example.order.approved", "instance-42", null);
    assertThat(data(e)).isEqualTo(Samples.JSON.readTree("{\"orderId\":7}"));

    ((ObjectNode) message.get("attributes")).put("ce-specversion", "0.2");
    assertThatThrownBy(() -> PlatformEvents.normalize(body, Map.of()))
        .hasMessageContaining("unsupported ce-specversion '0.2'");
    ((ObjectNode) message.get("attributes")).put("ce-specversion", "1.0").remove("ce-source");
    assertThatThrownBy(() -> PlatformEvents.normalize(body, Map.of()))
        .hasMessage(
            "gcp-pubsub message in CloudEvents binary mode is missing required attributes:"
                + " ce-source");
    ((ObjectNode) message.get("attributes")).put("ce-source", "/s");
    message.put("data", "not*base64");
    assertThatThrownBy(() -> PlatformEvents.normalize(body, Map.of()))
        .hasMessageContaining("gcp-pubsub push request: 'message.data' is not base64");
  }

  @Test
  void eventGridSchema() throws Exception {
    JsonNode body = Samples.json("azure-eventgrid-blob-created.json");
    CloudEvent e = only(PlatformEvents.normalize("azure-eventgrid", body, Map.of()));
    String topic =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Storage/providers/"
            + "Microsoft.Storage/storageAccounts/my-storage-account";
    assertEvent(
        e,
        "831e1650-001e-001b-66ab-eeb76e069631",
        topic,
        "Microsoft.Storage.BlobCreated",
        "/blobServices/default/containers/test-container/blobs/new-file.txt",
        "2017-06-26T18:41:00.9584103Z");
    assertThat(data(e)).isEqualTo(body.get(0));

    CloudEvent ce =
        only(
            PlatformEvents.normalize(
                "azure-eventgrid",
                Samples.json("azure-eventgrid-blob-created-cloudevents.json"),
                Map.of()));
    assertEvent(
        ce,
        "831e1650-001e-001b-66ab-eeb76e069631",
        topic,
        "Microsoft.Storage.BlobCreated",
        "/blobServices/default/containers/test-container/blobs/new-file.txt",
        "2017-06-26T18:41:00.9584103Z");
    assertThat(Samples.JSON.readTree(ce.getData().toBytes())).isEqualTo(body.get(0).get("data"));
  }

  @Test
  void eventGridValidationIsAnsweredWithTheCode() {
    JsonNode body = Samples.json("azure-eventgrid-validation.json");
    PlatformMessage.Handshake h =
        (PlatformMessage.Handshake)
            assertHandshake(
                body, Map.of("aeg-event-type", "SubscriptionValidation"), "azure-eventgrid");
    assertThat(h.kind()).isEqualTo("SubscriptionValidation");
    assertThat(h.reply())
        .isEqualTo(
            Samples.JSON
                .createObjectNode()
                .put("validationResponse", "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"));
    assertThat(h.note()).contains("was not called");

    ArrayNode mixed = (ArrayNode) body.deepCopy();
    mixed.add(Samples.json("azure-eventgrid-blob-created.json").get(0));
    assertThatThrownBy(() -> PlatformEvents.read(mixed, Map.of()))
        .hasMessage(
            "azure-eventgrid event 0: a Microsoft.EventGrid.SubscriptionValidationEvent must come"
                + " alone, this delivery has 2");
  }

  @Test
  void eventGridErrorsAndUnusualTopics() throws Exception {
    ArrayNode body = (ArrayNode) Samples.json("azure-eventgrid-blob-created.json");
    ObjectNode e = (ObjectNode) body.get(0);
    e.put("topic", "/subscriptions/{subscription-id}/resourceGroups/Storage");
    assertThat(only(PlatformEvents.normalize(body, Map.of())).getSource())
        .hasToString("/subscriptions/%7Bsubscription-id%7D/resourceGroups/Storage");
    e.remove("eventTime");
    assertThatThrownBy(() -> PlatformEvents.normalize(body, Map.of()))
        .hasMessage(
            "azure-eventgrid event 0: missing required field 'eventTime' (a non-empty string)");
    ArrayNode ce = (ArrayNode) Samples.json("azure-eventgrid-blob-created-cloudevents.json");
    ((ObjectNode) ce.get(0)).remove("type");
    assertThatThrownBy(() -> PlatformEvents.normalize("azure-eventgrid", ce, Map.of()))
        .hasMessage(
            "azure-eventgrid event 0: CloudEvent is missing required attributes (non-empty"
                + " strings): type");
  }

  @Test
  void unknownShapesAreRejectedListingTheRecognisedOnes() {
    JsonNode body = Samples.JSON.createObjectNode().put("hello", "world");
    assertThat(PlatformEvents.detect(body, Map.of())).isEmpty();
    assertThatThrownBy(() -> PlatformEvents.normalize(body, Map.of()))
        .isInstanceOf(PlatformShapeException.class)
        .hasMessageStartingWith("not a recognised platform event (an object with fields hello)")
        .hasMessageContaining("recognised shapes: aws-sns (")
        .hasMessageContaining("aws-s3 (")
        .hasMessageContaining("aws-sqs (")
        .hasMessageContaining("aws-eventbridge (")
        .hasMessageContaining("gcp-pubsub (")
        .hasMessageContaining("azure-eventgrid (");
    assertThatThrownBy(
            () -> PlatformEvents.normalize("aws", Samples.json("gcp-pubsub-push.json"), Map.of()))
        .hasMessageContaining("recognised shapes for 'aws': aws-sns (")
        .hasMessageNotContaining("gcp-pubsub (");
    assertThatThrownBy(() -> PlatformEvents.shape("kafka"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown event shape 'kafka'; recognised shapes: auto, aws, aws-s3, aws-sns, aws-sqs,"
                + " aws-eventbridge, gcp-pubsub, azure-eventgrid");
    assertThat(PlatformEvents.shape(" AWS-S3 ").name()).isEqualTo("aws-s3");
  }

  @Test
  void headerNamesAreCaseInsensitive() throws Exception {
    JsonNode confirmation = Samples.json("aws-sns-subscription-confirmation.json");
    // the body alone would be recognised too; the header decides even for an odd body
    ObjectNode odd = Samples.JSON.createObjectNode().put("Type", "Notification");
    assertThat(PlatformEvents.detect(odd, Map.of("X-Amz-Sns-Message-Type", "Notification")))
        .map(PlatformShape::name)
        .contains("aws-sns");
    assertThat(PlatformEvents.read(confirmation, Map.of("X-AMZ-SNS-MESSAGE-TYPE", "x")))
        .isInstanceOf(PlatformMessage.Handshake.class);
  }
}
