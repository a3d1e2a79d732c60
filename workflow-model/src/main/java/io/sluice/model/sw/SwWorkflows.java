package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.format.SourceDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where {@code run: workflow} finds definitions besides the files next to the one being read: the
 * Serverless Workflow definitions registered on a cluster. The master puts its registry in effect
 * ({@link #using}) while it reads a definition it is given; {@code run: workflow} asks it for the
 * versions of a {@code namespace}/{@code name} and records the sources it used (the {@code used}
 * list of {@link #using}), so the workers that read the same definition get those texts with it
 * ({@link #of}) instead of a registry.
 */
public interface SwWorkflows {
  /**
   * A definition's source as registered.
   *
   * @param fileName its file name (error locations)
   * @param text its text
   */
  record Source(String fileName, String text) {
    public Source {
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(text, "text");
    }
  }

  /** The registered definitions whose {@code document} has this namespace and name. */
  List<Source> find(String namespace, String name);

  /** Where {@link #find} looked, for an error message (e.g. "the master's registry"). */
  String where();

  /** A fixed set of sources (a worker given the sub-workflows the master resolved). */
  static SwWorkflows of(String where, List<Source> sources) {
    List<Source> all = List.copyOf(sources);
    return new SwWorkflows() {
      @Override
      public List<Source> find(String namespace, String name) {
        List<Source> out = new ArrayList<>();
        for (Source s : all) {
          JsonNode doc = document(s);
          if (doc != null
              && doc.path("namespace").asText().equals(namespace)
              && doc.path("name").asText().equals(name)) {
            out.add(s);
          }
        }
        return out;
      }

      @Override
      public String where() {
        return where;
      }
    };
  }

  /** The {@code document} of a Serverless Workflow source, or null when it is not one. */
  static JsonNode document(Source s) {
    try {
      JsonNode doc = SourceDocument.parse(s.fileName(), s.text()).root().path("document");
      return doc.isObject() && doc.has("dsl") ? doc : null;
    } catch (DefinitionException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Runs {@code body} (reading definitions) with {@code workflows} in effect on this thread;
   * returns its result and, in {@code used} if not null, every registered source a {@code run:
   * workflow} resolved to (nested ones too), in the order first used.
   */
  static <T> T using(SwWorkflows workflows, List<Source> used, Supplier<T> body) {
    return SwWorkflowScope.using(workflows, used == null ? new ArrayList<>() : used, body);
  }
}
