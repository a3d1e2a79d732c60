package io.sluice.master.api;

import io.sluice.http.HttpAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The master's web page ({@code GET /}, docs/http-api.md): one HTML file with its styles and script
 * inline (no external assets: the machines it runs on may have no internet), read once from the
 * class path and served from memory.
 */
final class WebPage {
  static final HttpAnswer ANSWER =
      new HttpAnswer(200, "text/html; charset=utf-8", read("/io/sluice/master/web/index.html"));

  private WebPage() {}

  private static byte[] read(String resource) {
    try (InputStream in = WebPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the web page " + resource + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
