package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Names an imported workflow when its format has no name field of its own. */
final class WorkflowNames {
  private WorkflowNames() {}

  /**
   * FaaSFlow keeps the name in {@code function_info.yaml} beside the workflow ({@code workflow:
   * NAME}); without one the folder's name is used, else the file's name without extension.
   */
  static String faasflow(SourceDocument doc) {
    Path file;
    try {
      file = Path.of(doc.file());
    } catch (InvalidPathException e) {
      return fileStem(doc.file());
    }
    Path info = file.resolveSibling("function_info.yaml");
    if (Files.isRegularFile(info)) {
      try {
        JsonNode name = SourceDocument.read(info).root().path("workflow");
        if (name.isValueNode() && !name.asText().isBlank()) {
          return name.asText();
        }
      } catch (DefinitionException e) {
        // an unreadable function_info.yaml only loses the name; fall back to the folder's
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName() != null && Files.isRegularFile(file)) {
      return parent.getFileName().toString();
    }
    return fileStem(doc.file());
  }

  /** The file name without its directory and extension ({@code a/b/c.v1.4.json} -> {@code c}). */
  static String fileStem(String file) {
    String name = file.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    int dot = name.indexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return stem.isEmpty() ? "workflow" : stem;
  }
}
