package io.sluice.runtime.http;

import java.util.Arrays;
import java.util.List;

/**
 * How an {@code http} call carries its input and reads its output: plain JSON, or a CloudEvent in
 * binary mode (attributes as {@code ce-*} headers, the data as the body) or structured mode (the
 * whole event as a JSON envelope, {@code application/cloudevents+json}).
 */
enum Format {
  JSON("json"),
  CLOUDEVENTS_BINARY("cloudevents-binary"),
  CLOUDEVENTS_STRUCTURED("cloudevents-structured");

  final String setting;

  Format(String setting) {
    this.setting = setting;
  }

  boolean cloudEvents() {
    return this != JSON;
  }

  /** The format a setting names, or null. */
  static Format of(String setting) {
    for (Format f : values()) {
      if (f.setting.equals(setting)) {
        return f;
      }
    }
    return null;
  }

  static List<String> names() {
    return Arrays.stream(values()).map(f -> f.setting).toList();
  }
}
