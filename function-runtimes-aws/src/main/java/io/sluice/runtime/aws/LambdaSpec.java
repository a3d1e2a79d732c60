package io.sluice.runtime.aws;

import io.sluice.model.FunctionDef;
import io.sluice.runtime.internal.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which Lambda function an {@code aws-lambda} function invokes and how, read from its settings.
 *
 * @param function the function's name, partial ARN or ARN (a {@code :qualifier} suffix allowed)
 * @param qualifier the version or alias to invoke, or null for the function name's own
 * @param region the region setting, or null: the ARN's region, else the SDK's default chain
 * @param endpoint the endpoint to call instead of the region's (a local Lambda emulator), or null
 * @param event whether the invocation is {@code Event} (fire and forget) rather than {@code
 *     RequestResponse}
 */
record LambdaSpec(String function, String qualifier, String region, URI endpoint, boolean event) {

  /** AWS's pattern for Invoke's FunctionName: name, partial ARN or ARN, optional qualifier. */
  private static final Pattern FUNCTION =
      Pattern.compile(
          "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d:)?"
              + "(\\d{12}:)?(function:)?([a-zA-Z0-9\\-_.]+)(:(\\$LATEST|[a-zA-Z0-9\\-_]+))?");

  private static final Pattern QUALIFIER = Pattern.compile("[a-zA-Z0-9$_\\-]{1,128}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");

  static final String REQUEST_RESPONSE = "RequestResponse";
  static final String EVENT = "Event";

  /** Reads the settings; throws {@link IllegalArgumentException} naming the wrong setting. */
  static LambdaSpec of(FunctionDef f) {
    String function = Settings.text(f, "function");
    if (function == null) {
      throw Settings.bad(
          f, "function", "is required: the Lambda function's name or ARN, e.g. resize-image");
    }
    if (function.length() > 170 || !FUNCTION.matcher(function).matches()) {
      throw Settings.bad(
          f,
          "function",
          "is not a Lambda function name or ARN (name: letters, digits, - and _, up to 64;"
              + " or arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]), got "
              + function);
    }
    String qualifier = Settings.text(f, "qualifier");
    if (qualifier != null && !QUALIFIER.matcher(qualifier).matches()) {
      throw Settings.bad(
          f,
          "qualifier",
          "must be a version or alias (letters, digits, $ _ -, up to 128), got " + qualifier);
    }
    String region = Settings.text(f, "region");
    if (region != null && !REGION.matcher(region).matches()) {
      throw Settings.bad(f, "region", "must be an AWS region such as us-east-1, got " + region);
    }
    URI endpoint = endpoint(f);
    String type = Settings.text(f, "invocationType");
    if (type != null && !type.equals(REQUEST_RESPONSE) && !type.equals(EVENT)) {
      throw Settings.bad(
          f,
          "invocationType",
          "must be RequestResponse (wait for the result, the default) or Event (fire and"
              + " forget), got "
              + type);
    }
    return new LambdaSpec(function, qualifier, region, endpoint, EVENT.equals(type));
  }

  private static URI endpoint(FunctionDef f) {
    String text = Settings.text(f, "endpoint");
    if (text == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw Settings.bad(f, "endpoint", "is not a URL: " + text + " (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw Settings.bad(
          f, "endpoint", "must be an http or https URL with a host, e.g. http://127.0.0.1:3002");
    }
    return uri;
  }

  /** The region this spec names itself: the setting, else the one in the function's ARN. */
  String ownRegion() {
    if (region != null) {
      return region;
    }
    if (function.startsWith("arn:")) {
      String[] parts = function.split(":");
      if (parts.length > 3 && !parts[3].isEmpty()) {
        return parts[3];
      }
    }
    return null;
  }

  /** Lambda's payload limit for this invocation type: 6 MiB synchronous, 1 MiB asynchronous. */
  long payloadLimit() {
    return event
        ? LambdaFunctionRuntime.EVENT_PAYLOAD_LIMIT
        : LambdaFunctionRuntime.SYNC_PAYLOAD_LIMIT;
  }

  /** {@code name[:qualifier]} for messages. */
  String describe() {
    return qualifier == null ? function : function + " (qualifier " + qualifier + ")";
  }
}
