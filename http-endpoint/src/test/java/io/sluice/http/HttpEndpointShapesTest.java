package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.http.shapes.Samples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Platform payloads over HTTP: by path, by {@code ?shape=}, by content; handshakes; errors. */
class HttpEndpointShapesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<CloudEvent> received = new CopyOnWriteArrayList<>();
  private PrometheusMeterRegistry metrics;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() {
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    endpoint =
        HttpEndpoint.start(
            HttpEndpointOptions.of(
                "127.0.0.1",
                0,
                () -> HealthReport.ok("worker", "w1"),
                metrics,
                event -> {
                  received.add(event);
                  // the second SQS record of the sample finds no instance
                  return CompletableFuture.completedFuture(
                      event.getId().equals("2e1424d4-f796-459a-8184-9c92662be6da")
                          ? EventReceipt.unmatched("no instance waits for it")
                          : EventReceipt.matched(List.of("i-1")));
                }));
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  private HttpResponse<String> post(
      String path, String contentType, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String sample) throws Exception {
    return post(path, "application/json", Samples.text(sample), Map.of());
  }

  @ParameterizedTest(name = "{1} via {0}")
  @CsvSource({
    "/events/aws-s3, aws-s3-put.json, aws-s3, com.amazonaws.s3.ObjectCreated:Put",
    "/events/aws, aws-s3-put.json, aws-s3, com.amazonaws.s3.ObjectCreated:Put",
    "/events, aws-s3-put.json, aws-s3, com.amazonaws.s3.ObjectCreated:Put",
    "/events?shape=aws-s3, aws-s3-put.json, aws-s3, com.amazonaws.s3.ObjectCreated:Put",
    "/events/aws, aws-eventbridge-ec2.json, aws-eventbridge, EC2 Instance State-change Notification",
    "/events/aws-eventbridge, aws-eventbridge-s3-object-created.json, aws-eventbridge, Object Created",
    "/events/aws-sqs, aws-sqs-receive-message.json, aws-sqs, com.amazonaws.sqs.message",
    "/events/gcp-pubsub, gcp-pubsub-push.json, gcp-pubsub, google.cloud.pubsub.topic.v1.messagePublished",
    "/events, gcp-pubsub-push.json, gcp-pubsub, google.cloud.pubsub.topic.v1.messagePublished",
    "/events/azure-eventgrid, azure-eventgrid-blob-created.json, azure-eventgrid, Microsoft.Storage.BlobCreated",
    "/events, azure-eventgrid-blob-created.json, azure-eventgrid, Microsoft.Storage.BlobCreated",
  })
  void oneEventPayloadsAnswerWithTheEventsStatus(
      String path, String sample, String shape, String type) throws Exception {
    HttpResponse<String> r = post(path, sample);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("shape").asText()).isEqualTo(shape);
    assertThat(body.get("result").asText()).isEqualTo("accepted");
    assertThat(received).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo(type));
    assertThat(body.get("id").asText()).isEqualTo(received.get(0).getId());
  }

  @Test
  void snsNotificationAsSnsSendsIt() throws Exception {
    HttpResponse<String> r =
        post(
            "/events",
            "text/plain; charset=UTF-8",
            Samples.text("aws-sns-notification.json"),
            Map.of("x-amz-sns-message-type", "Notification"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(received)
        .singleElement()
        .satisfies(e -> assertThat(e.getSubject()).isEqualTo("My First Message"));
  }

  @Test
  void payloadsOfSeveralEventsAnswerPerEvent() throws Exception {
    HttpResponse<String> r = post("/events/aws-sqs", "aws-sqs-lambda.json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("shape").asText()).isEqualTo("aws-sqs");
    assertThat(body.get("results"))
        .extracting(n -> n.get("status").asInt())
        .containsExactly(202, 404);
    assertThat(body.get("results").get(1).get("error").asText()).contains("no instance accepts");
    assertThat(received).hasSize(2);
  }

  @Test
  void eventGridCloudEventsSchemaArrivesInTheCloudEventsModes() throws Exception {
    JsonNode array = Samples.json("azure-eventgrid-blob-created-cloudevents.json");
    HttpResponse<String> batch =
        post("/events", CloudEventRequests.BATCH, array.toString(), Map.of());
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
    HttpResponse<String> one =
        post("/events", CloudEventRequests.STRUCTURED, array.get(0).toString(), Map.of());
    assertThat(one.statusCode()).as(one.body()).isEqualTo(202);
    HttpResponse<String> named =
        post("/events/azure-eventgrid", CloudEventRequests.BATCH, array.toString(), Map.of());
    assertThat(named.statusCode()).as(named.body()).isEqualTo(202);
    assertThat(received)
        .hasSize(3)
        .allMatch(e -> e.getType().equals("Microsoft.Storage.BlobCreated"));
  }

  @Test
  void snsSubscriptionConfirmationIsAnsweredAndNothingIsDelivered() throws Exception {
    HttpResponse<String> r =
        post(
            "/events/aws",
            "text/plain; charset=UTF-8",
            Samples.text("aws-sns-subscription-confirmation.json"),
            Map.of("x-amz-sns-message-type", "SubscriptionConfirmation"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("result").asText()).isEqualTo("not confirmed");
    assertThat(body.get("message").asText()).contains("aws sns confirm-subscription");
    assertThat(received).isEmpty();
    assertThat(scrape())
        .contains("sluice_http_events_total{outcome=\"handshake\",shape=\"aws-sns\"} 1.0");
  }

  @Test
  void eventGridValidationIsAnsweredWithTheValidationCode() throws Exception {
    HttpResponse<String> r =
        post(
            "/events/azure-eventgrid",
            "application/json",
            Samples.text("azure-eventgrid-validation.json"),
            Map.of("aeg-event-type", "SubscriptionValidation"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()))
        .isEqualTo(
            JSON.readTree("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}"));
    assertThat(received).isEmpty();
  }

  @Test
  void cloudEventsWebhookValidationOverOptions() throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/events/azure-eventgrid"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "eventgrid.azure.net")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("webhook-allowed-origin")).contains("eventgrid.azure.net");
    assertThat(r.headers().firstValue("webhook-allowed-rate")).contains("*");
    assertThat(r.headers().firstValue("allow")).contains("POST, OPTIONS");
    HttpResponse<String> plain =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "example.org")
                .header("WebHook-Request-Rate", "120")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.headers().firstValue("webhook-allowed-rate")).contains("120");
  }

  @Test
  void unknownShapesAndUnrecognisedPayloadsAreRefusedListingTheShapes() throws Exception {
    HttpResponse<String> path = post("/events/kafka", "aws-s3-put.json");
    assertThat(path.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(path.body()).get("error").asText())
        .isEqualTo(
            "unknown event shape 'kafka'; recognised shapes: auto, aws, aws-s3, aws-sns, aws-sqs,"
                + " aws-eventbridge, gcp-pubsub, azure-eventgrid");
    HttpResponse<String> query = post("/events?shape=kafka", "aws-s3-put.json");
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(query.body()).contains("unknown event shape 'kafka'");

    HttpResponse<String> nothing = post("/events", "application/json", "{\"order\": 7}", Map.of());
    assertThat(nothing.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(nothing.body()).get("error").asText())
        .contains("not a CloudEvent and not a platform event")
        .contains("not a recognised platform event (an object with fields order)")
        .contains("aws-s3 (AWS S3 event notification")
        .contains("azure-eventgrid (Azure Event Grid delivery");

    HttpResponse<String> wrong = post("/events/gcp-pubsub", "aws-s3-put.json");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(wrong.body()).get("error").asText())
        .isEqualTo("gcp-pubsub push request: missing required object 'message'");

    HttpResponse<String> badJson =
        post("/events/aws", "application/json", "{\"Records\": [", Map.of());
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).contains("malformed JSON in the body at line 1");
    assertThat(received).isEmpty();
  }

  private String scrape() throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
