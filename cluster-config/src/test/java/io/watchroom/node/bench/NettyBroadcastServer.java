package io.watchroom.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * Minimal broadcast server on Netty, for the fan-out benchmark only: {@code join} is answered with
 * {@code welcome}, every {@code seek} goes to every joined client as {@code playback}, written
 * once and shared by all channels. No persistence, no presence, one room.
 */
public final class NettyBroadcastServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup();
  private final ChannelGroup joined = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;

  public NettyBroadcastServer(int port) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new WebSocketServerProtocolHandler("/api/rooms", null, false, 65536, false, true))
                        .addLast(new Frames());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", port))
            .sync()
            .channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
      JsonNode message = JSON.readTree(frame.text());
      switch (message.path("type").asText()) {
        case "join" -> {
          joined.add(ctx.channel());
          ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"welcome\"}"));
        }
        case "seek" -> joined.writeAndFlush(
            new TextWebSocketFrame(
                "{\"type\":\"playback\",\"playing\":false,\"position\":" + message.path("position").toString()
                    + ",\"anchor\":" + System.currentTimeMillis() + ",\"rate\":1,\"by\":\"m\"}"));
        default -> {}
      }
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    boss.shutdownGracefully();
    workers.shutdownGracefully();
  }

  public static void main(String[] args) throws Exception {
    try (NettyBroadcastServer server = new NettyBroadcastServer(args.length > 0 ? Integer.parseInt(args[0]) : 0)) {
      System.out.println("listening " + server.port());
      Thread.currentThread().join();
    }
  }
}
