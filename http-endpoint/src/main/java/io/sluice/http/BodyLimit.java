package io.sluice.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates requests up to a body limit. A larger one is not answered here but passed on as an
 * {@link Oversized} so that its 413 takes its turn among the connection's replies; the 413 states
 * the limit and the size. The connection stays open when the client announced the length and asked
 * for keep-alive (the rest of the body is skipped); otherwise it is closed after the answer. A
 * client that waits for {@code 100 Continue} gets the 413 at once instead.
 */
final class BodyLimit extends HttpObjectAggregator {
  /**
   * A request whose body is over the limit.
   *
   * @param announcedBytes its Content-Length, or -1 when it was sent chunked
   * @param keepOpen whether the connection can serve more requests after the 413
   */
  record Oversized(long announcedBytes, int limitBytes, boolean keepOpen) {
    String message() {
      return "request body "
          + (announcedBytes >= 0 ? "of " + announcedBytes + " bytes is" : "(chunked) grew")
          + " larger than this endpoint's limit of "
          + limitBytes
          + " bytes; send smaller requests (e.g. split a batch) or raise http.maxBodySize";
    }

    Reply reply() {
      Reply r = Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message());
      return keepOpen ? r : r.closing();
    }
  }

  private final int maxBytes;

  BodyLimit(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object standard = super.newContinueResponse(start, maxContentLength, pipeline);
    if (standard instanceof io.netty.handler.codec.http.HttpResponse r
        && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
      io.netty.util.ReferenceCountUtil.release(standard);
      long announced = HttpUtil.getContentLength(start, -1L);
      return new Oversized(announced, maxBytes, true).reply().toResponse(true);
    }
    return standard;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepOpen =
        !(oversized instanceof FullHttpMessage)
            && HttpUtil.isKeepAlive(oversized)
            && !HttpUtil.is100ContinueExpected(oversized);
    long announced =
        oversized instanceof FullHttpMessage ? -1L : HttpUtil.getContentLength(oversized, -1L);
    ctx.fireChannelRead(new Oversized(announced, maxBytes, keepOpen));
  }
}
