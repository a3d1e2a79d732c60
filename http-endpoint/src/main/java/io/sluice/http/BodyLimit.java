package io.sluice.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates requests up to a body limit and answers larger ones with 413 and a JSON message that
 * states the limit. The connection stays open when the client announced the length and asked for
 * keep-alive (the rest of the body is skipped); otherwise it is closed after the answer.
 */
final class BodyLimit extends HttpObjectAggregator {
  private final int maxBytes;

  BodyLimit(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepOpen =
        !(oversized instanceof FullHttpMessage)
            && HttpUtil.isKeepAlive(oversized)
            && !HttpUtil.is100ContinueExpected(oversized);
    String message =
        "request body is larger than this endpoint's limit of "
            + maxBytes
            + " bytes; send smaller requests (e.g. split a batch)";
    byte[] body = Replies.jsonBytes(Replies.object().put("error", message));
    var f =
        ctx.writeAndFlush(
            Replies.response(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Replies.JSON_TYPE, body, keepOpen));
    f.addListener(keepOpen ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
  }
}
