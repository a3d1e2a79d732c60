package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a worker finds the secrets function settings refer to. A setting written {@code {secret:
 * NAME}} (an object with that one key, anywhere in the settings) stays that way in the definition,
 * the registry, the journal and history; only a worker, just before a runtime uses the settings,
 * replaces it with the secret's value, read from the file {@code <dir>/NAME} (when the worker has a
 * secrets folder) or else from the environment variable {@code SLUICE_SECRET_NAME}. The values live
 * only in the bound settings the runtime keeps; messages name a secret, never show it.
 */
public final class Secrets {
  /** The key of a secret reference. */
  public static final String KEY = "secret";

  /** A name is one file name: no separators, no leading dot (no escaping the folder). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  /** Secrets from the environment only, for any process without a secrets folder. */
  public static final Secrets ENVIRONMENT = new Secrets(null, "this worker", System::getenv);

  private final Path dir;
  private final String worker;
  private final Function<String, String> env;

  /**
   * @param dir the secrets folder, or null for none
   * @param worker the worker's name, for messages
   * @param env reads an environment variable (System::getenv outside tests)
   */
  public Secrets(Path dir, String worker, Function<String, String> env) {
    this.dir = dir == null ? null : dir.toAbsolutePath().normalize();
    this.worker = worker == null ? "this worker" : worker;
    this.env = env == null ? System::getenv : env;
  }

  /** Secrets from {@code dir} (null: none), then the process environment. */
  public static Secrets of(Path dir, String worker) {
    return new Secrets(dir, worker, System::getenv);
  }

  /** The same secrets, named for another worker in messages. */
  public Secrets forWorker(String name) {
    return new Secrets(dir, name, env);
  }

  /** Whether {@code v} is a secret reference: an object whose only key is {@code secret}. */
  public static boolean isReference(JsonNode v) {
    return v != null && v.isObject() && v.size() == 1 && v.has(KEY);
  }

  /** Whether any setting, however deep, is a secret reference. */
  public static boolean referenced(JsonNode settings) {
    if (isReference(settings)) {
      return true;
    }
    if (settings != null && settings.isContainerNode()) {
      for (JsonNode child : settings) {
        if (referenced(child)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The environment variable a secret is read from: {@code SLUICE_SECRET_} + NAME upper-cased. */
  public static String variable(String name) {
    return "SLUICE_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * What is wrong with the secret references of some settings (a name that is not text or not a
   * plain file name), one message each; empty when all are well formed.
   */
  public static List<String> problems(JsonNode settings) {
    List<String> out = new ArrayList<>();
    collectProblems(settings, out);
    return out;
  }

  private static void collectProblems(JsonNode v, List<String> out) {
    if (isReference(v)) {
      JsonNode name = v.get(KEY);
      if (!name.isTextual() || !NAME.matcher(name.asText()).matches()) {
        out.add(
            "{secret: NAME} needs NAME of letters, digits, '.', '_' or '-' (not starting with"
                + " '.' or '-'), got "
                + name);
      }
    } else if (v != null && v.isContainerNode()) {
      v.forEach(child -> collectProblems(child, out));
    }
  }

  /**
   * The settings with every reference replaced by a stand-in text naming the secret, for checking
   * them where secrets are not available (the master, {@code sluice validate}).
   */
  public static JsonNode placeholders(JsonNode settings) {
    return replace(settings, name -> "secret-" + name, null);
  }

  /**
   * The settings with every reference replaced by its value; the values are added to {@code values}
   * (for redacting messages). Throws {@link FunctionException} of type {@link
   * FunctionException#BAD_CONFIGURATION}, naming where it looked, for a secret not defined here.
   */
  public JsonNode resolve(JsonNode settings, List<String> values) {
    return replace(settings, this::value, values);
  }

  /** One secret's value; see {@link #resolve}. */
  public String value(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new FunctionException(
          FunctionException.BAD_CONFIGURATION,
          "secret name '" + name + "' is not a plain file name",
          false);
    }
    if (dir != null) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          return stripNewline(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new FunctionException(
              FunctionException.BAD_CONFIGURATION,
              "secret "
                  + name
                  + " on worker "
                  + worker
                  + " cannot be read from "
                  + file
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")",
              false);
        }
      }
    }
    String fromEnv = env.apply(variable(name));
    if (fromEnv != null) {
      return fromEnv;
    }
    throw new FunctionException(
        FunctionException.BAD_CONFIGURATION,
        "secret "
            + name
            + " is not defined on worker "
            + worker
            + " (looked in "
            + (dir == null ? "" : dir.resolve(name) + " and ")
            + variable(name)
            + ")",
        false);
  }

  /** A file written by {@code echo} ends in a newline that is not part of the secret. */
  private static String stripNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static JsonNode replace(
      JsonNode v, Function<String, String> lookup, List<String> values) {
    if (isReference(v)) {
      String value = lookup.apply(v.get(KEY).asText());
      if (values != null) {
        values.add(value);
      }
      return JsonNodeFactory.instance.textNode(value);
    }
    if (v instanceof ObjectNode o) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        out.set(e.getKey(), replace(e.getValue(), lookup, values));
      }
      return out;
    }
    if (v instanceof ArrayNode a) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(a.size());
      a.forEach(child -> out.add(replace(child, lookup, values)));
      return out;
    }
    return v;
  }

  @Override
  public String toString() {
    return "secrets(" + (dir == null ? "" : dir + ", ") + "SLUICE_SECRET_*)";
  }
}
