package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function's {@code code} file must be in the folder of the file that declares it. */
class FunctionCodePathsTest {
  @TempDir Path dir;

  private FunctionDef fn(String code) {
    return new FunctionDef(
        "tok",
        "docker",
        JsonNodeFactory.instance.objectNode().put("image", "img").put("code", code),
        Location.of(dir.resolve("fns/functions.yaml").toString(), 4));
  }

  @Test
  void codeInsideTheFolderIsRead() throws Exception {
    Files.createDirectories(dir.resolve("fns/py"));
    Files.writeString(dir.resolve("fns/py/tok.py"), "def main(a): return a\n");
    FunctionDef f = FunctionCode.inline(fn("py/../py/tok.py"));
    assertThat(f.settings().get(FunctionCode.CODE_TEXT).asText()).startsWith("def main");
  }

  @Test
  void absolutePathsClimbingOutAndSymlinksOutAreRefused() throws Exception {
    Files.createDirectories(dir.resolve("fns"));
    Files.writeString(dir.resolve("secret.txt"), "s3cr3t");
    Files.createSymbolicLink(dir.resolve("fns/link.py"), dir.resolve("secret.txt"));
    assertThatThrownBy(() -> FunctionCode.inline(fn("/etc/passwd")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining(
            "function 'tok': setting 'code' names '/etc/passwd', which is an absolute path");
    assertThatThrownBy(() -> FunctionCode.inline(fn("../secret.txt")))
        .hasMessageContaining("names '../secret.txt', which climbs out of " + dir.resolve("fns"));
    assertThatThrownBy(() -> FunctionCode.inline(fn("link.py")))
        .hasMessageContaining("names 'link.py', which is a symbolic link to")
        .hasMessageNotContaining("s3cr3t");
  }
}
