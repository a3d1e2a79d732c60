package io.sluice.model.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson mappers for function inputs and outputs. Jackson refuses strings over 20 million
 * characters by default; a workflow's values are bounded by the store's and the runtimes' own size
 * limits instead (a synthetic function at data scale 1 outputs strings of tens of MB), so these
 * mappers lift Jackson's string and document limits. Definitions and configuration keep the
 * defaults.
 */
public final class JsonMappers {
  private JsonMappers() {}

  /** A factory whose parsers take strings and documents of any length. */
  public static JsonFactory unboundedFactory() {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .maxDocumentLength(-1)
                .build())
        .build();
  }

  /** A mapper for values whose size the caller bounds. */
  public static ObjectMapper forValues() {
    return JsonMapper.builder(unboundedFactory()).build();
  }
}
