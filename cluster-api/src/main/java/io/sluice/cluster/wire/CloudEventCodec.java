package io.sluice.cluster.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * CloudEvents between the SDK's {@link CloudEvent} and the CloudEvents protobuf format (the same
 * mapping as the CloudEvents SDK's protobuf module, whose generated classes would clash with ours).
 */
final class CloudEventCodec {
  static final String SPEC_VERSION = "1.0";
  private static final String SUBJECT = "subject";
  private static final String TIME = "time";
  private static final String CONTENT_TYPE = "datacontenttype";
  private static final String SCHEMA = "dataschema";

  private CloudEventCodec() {}

  static io.cloudevents.v1.proto.CloudEvent toProto(CloudEvent e) {
    var b =
        io.cloudevents.v1.proto.CloudEvent.newBuilder()
            .setId(e.getId())
            .setSource(e.getSource().toString())
            .setSpecVersion(e.getSpecVersion().toString())
            .setType(e.getType());
    if (e.getSubject() != null) {
      b.putAttributes(SUBJECT, text(e.getSubject()));
    }
    if (e.getTime() != null) {
      b.putAttributes(TIME, timestamp(e.getTime()));
    }
    if (e.getDataContentType() != null) {
      b.putAttributes(CONTENT_TYPE, text(e.getDataContentType()));
    }
    if (e.getDataSchema() != null) {
      b.putAttributes(
          SCHEMA,
          CloudEventAttributeValue.newBuilder().setCeUri(e.getDataSchema().toString()).build());
    }
    for (String name : e.getExtensionNames()) {
      b.putAttributes(name, attribute(name, e.getExtension(name)));
    }
    if (e.getData() != null) {
      byte[] bytes = e.getData().toBytes();
      String type = e.getDataContentType();
      if (type == null || type.contains("json") || type.startsWith("text/")) {
        b.setTextData(new String(bytes, StandardCharsets.UTF_8));
      } else {
        b.setBinaryData(ByteString.copyFrom(bytes));
      }
    }
    return b.build();
  }

  static CloudEvent fromProto(io.cloudevents.v1.proto.CloudEvent p, String field) {
    if (p.getId().isEmpty()) {
      throw new IllegalArgumentException(field + ".id is missing");
    }
    if (p.getType().isEmpty()) {
      throw new IllegalArgumentException(field + ".type is missing (event " + p.getId() + ")");
    }
    if (!p.getSpecVersion().isEmpty() && !p.getSpecVersion().equals(SPEC_VERSION)) {
      throw new IllegalArgumentException(
          field + ".spec_version must be 1.0, got '" + p.getSpecVersion() + "'");
    }
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withId(p.getId())
            .withType(p.getType())
            .withSource(uri(p.getSource(), field + ".source"));
    for (Map.Entry<String, CloudEventAttributeValue> a : p.getAttributesMap().entrySet()) {
      String name = a.getKey();
      CloudEventAttributeValue v = a.getValue();
      String where = field + ".attributes[" + name + "]";
      switch (name) {
        case SUBJECT -> b.withSubject(string(v, where));
        case CONTENT_TYPE -> b.withDataContentType(string(v, where));
        case SCHEMA -> b.withDataSchema(uri(string(v, where), where));
        case TIME -> b.withTime(time(v, where));
        default -> extension(b, name, v, where);
      }
    }
    switch (p.getDataCase()) {
      case TEXT_DATA -> b.withData(p.getTextData().getBytes(StandardCharsets.UTF_8));
      case BINARY_DATA -> b.withData(p.getBinaryData().toByteArray());
      case PROTO_DATA ->
          throw new IllegalArgumentException(
              field + ".proto_data is not supported; send JSON as text_data");
      default -> {}
    }
    try {
      return b.build();
    } catch (IllegalStateException | CloudEventRWException e) {
      throw new IllegalArgumentException(
          field + " is not a valid CloudEvent: " + e.getMessage(), e);
    }
  }

  private static void extension(
      CloudEventBuilder b, String name, CloudEventAttributeValue v, String where) {
    try {
      switch (v.getAttrCase()) {
        case CE_BOOLEAN -> b.withExtension(name, v.getCeBoolean());
        case CE_INTEGER -> b.withExtension(name, v.getCeInteger());
        case CE_STRING -> b.withExtension(name, v.getCeString());
        case CE_BYTES -> b.withExtension(name, v.getCeBytes().toByteArray());
        case CE_URI -> b.withExtension(name, uri(v.getCeUri(), where));
        case CE_URI_REF -> b.withExtension(name, uri(v.getCeUriRef(), where));
        case CE_TIMESTAMP -> b.withExtension(name, time(v, where));
        default -> throw new IllegalArgumentException(where + " has no value");
      }
    } catch (CloudEventRWException e) { // the SDK rejects names that are not [a-z0-9]+
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static CloudEventAttributeValue attribute(String name, Object v) {
    var b = CloudEventAttributeValue.newBuilder();
    if (v instanceof Boolean bool) {
      return b.setCeBoolean(bool).build();
    }
    if (v instanceof Integer i) {
      return b.setCeInteger(i).build();
    }
    if (v instanceof byte[] bytes) {
      return b.setCeBytes(ByteString.copyFrom(bytes)).build();
    }
    if (v instanceof URI uri) {
      return (uri.isAbsolute() ? b.setCeUri(uri.toString()) : b.setCeUriRef(uri.toString()))
          .build();
    }
    if (v instanceof OffsetDateTime t) {
      return timestamp(t);
    }
    return text(String.valueOf(v));
  }

  static CloudEventAttributeValue text(String s) {
    return CloudEventAttributeValue.newBuilder().setCeString(s).build();
  }

  private static CloudEventAttributeValue timestamp(OffsetDateTime t) {
    Instant i = t.toInstant();
    return CloudEventAttributeValue.newBuilder()
        .setCeTimestamp(
            Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build())
        .build();
  }

  static String string(CloudEventAttributeValue v, String where) {
    return switch (v.getAttrCase()) {
      case CE_STRING -> v.getCeString();
      case CE_URI -> v.getCeUri();
      case CE_URI_REF -> v.getCeUriRef();
      default ->
          throw new IllegalArgumentException(where + " must be a string, got " + v.getAttrCase());
    };
  }

  private static OffsetDateTime time(CloudEventAttributeValue v, String where) {
    if (v.hasCeTimestamp()) {
      Timestamp t = v.getCeTimestamp();
      try {
        return OffsetDateTime.ofInstant(
            Instant.ofEpochSecond(t.getSeconds(), t.getNanos()), ZoneOffset.UTC);
      } catch (java.time.DateTimeException | ArithmeticException e) {
        throw new IllegalArgumentException(
            where
                + " is out of range: "
                + t.getSeconds()
                + " s "
                + t.getNanos()
                + " ns since the epoch ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    try {
      return OffsetDateTime.parse(string(v, where));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(where + " is not an RFC 3339 time: " + e.getMessage(), e);
    }
  }

  static URI uri(String text, String where) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException(where + " is missing");
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(where + " is not a URI reference: " + e.getMessage(), e);
    }
  }
}
