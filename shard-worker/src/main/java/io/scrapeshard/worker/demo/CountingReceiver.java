package io.scrapeshard.worker.demo;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/** A remote-write receiver that counts the samples it gets on {@code /<name>/api/v1/write}. */
public final class CountingReceiver implements AutoCloseable {

  private final HttpServer server;
  private final java.util.Map<String, AtomicLong> counts =
      new java.util.concurrent.ConcurrentHashMap<>();

  public CountingReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/api/v1/write";
  }

  public long samples(String name) {
    return counts.computeIfAbsent(name, k -> new AtomicLong()).get();
  }

  private void handle(HttpExchange e) throws IOException {
    String name = e.getRequestURI().getPath().split("/")[1];
    long n = countSamples(Snappy.uncompress(e.getRequestBody().readAllBytes()));
    counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    e.sendResponseHeaders(204, -1);
    e.close();
  }

  private static long countSamples(byte[] writeRequest) throws IOException {
    long n = 0;
    CodedInputStream in = CodedInputStream.newInstance(writeRequest);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
      for (int t = ts.readTag(); t != 0; t = ts.readTag()) {
        if (t >>> 3 == 2) {
          n++;
        }
        ts.skipField(t);
      }
    }
    return n;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
