package io.sluice.cli.log;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The layout of every {@code sluice} process's log (cli's logback.xml): the text pattern, or one
 * JSON object per line with {@code ts}, {@code level}, {@code logger}, {@code thread}, {@code msg},
 * the MDC ({@code instance} and {@code node} where a line is about one, see {@code
 * io.sluice.engine.InstanceLog}), the process's own fields ({@code master} or {@code worker}) and
 * {@code exception} (the stack trace as one string). JSON when the configuration's format is {@code
 * json} ({@code SLUICE_LOG_FORMAT}) or {@code --log-format json} said so ({@link #use}). No
 * dependency beyond logback: the few fields are escaped here.
 */
public class LogLayout extends PatternLayout {
  private static volatile Boolean override;
  private static final Map<String, String> PROCESS = new ConcurrentHashMap<>();

  private boolean json;

  /** {@code text} or {@code json}, from the configuration file; anything else is text. */
  public void setFormat(String format) {
    json = "json".equals(format == null ? "" : format.trim().toLowerCase(Locale.ROOT));
  }

  /** Switches every LogLayout of the process to {@code format} ({@code --log-format}). */
  public static void use(String format) {
    if (!"json".equals(format) && !"text".equals(format)) {
      throw new IllegalArgumentException("log format must be text or json, got '" + format + "'");
    }
    override = "json".equals(format);
  }

  /** A field every JSON line of this process carries, such as {@code worker=w1}. */
  public static void processField(String key, String value) {
    PROCESS.put(key, value);
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    Boolean o = override;
    return (o != null ? o : json) ? json(event) : super.doLayout(event);
  }

  /** One line of JSON for {@code event}, ending in a newline. */
  static String json(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(256);
    b.append('{');
    field(b, "ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    field(b, "level", event.getLevel().toString());
    field(b, "logger", event.getLoggerName());
    field(b, "thread", event.getThreadName());
    field(b, "msg", event.getFormattedMessage());
    PROCESS.forEach((k, v) -> field(b, k, v));
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach((k, v) -> field(b, k, v));
    }
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      field(b, "exception", ThrowableProxyUtil.asString(t));
    }
    b.setLength(b.length() - 1); // the last comma
    return b.append("}\n").toString();
  }

  private static void field(StringBuilder b, String key, String value) {
    if (value == null) {
      return;
    }
    quote(b, key);
    b.append(':');
    quote(b, value);
    b.append(',');
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
