package io.scrapeshard.worker.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scrapeshard.worker.scrape.Series;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.xerial.snappy.Snappy;

/**
 * A remote-write receiver on a real loopback port: decodes snappy + protobuf independently of the
 * encoder, records what arrived and answers what the test's policy says.
 */
final class Receiver implements AutoCloseable {

  /** The status (and optional Retry-After) to answer for a decoded request. */
  record Answer(int status, String retryAfter) {
    static final Answer OK = new Answer(204, null);
  }

  final List<Series> received = new CopyOnWriteArrayList<>();
  final List<String> contentEncodings = new CopyOnWriteArrayList<>();
  final List<Integer> requestSizes = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Function<List<Series>, Answer> policy = batch -> Answer.OK;

  Receiver() throws IOException {
    this(0);
  }

  Receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/api/v1/write", this::handle);
    server.start();
  }

  void answer(Function<List<Series>, Answer> policy) {
    this.policy = policy;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    contentEncodings.add(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    List<Series> batch = decode(Snappy.uncompress(body));
    requestSizes.add(batch.size());
    Answer a = policy.apply(batch);
    if (a.status / 100 == 2) {
      received.addAll(batch);
    }
    if (a.retryAfter != null) {
      exchange.getResponseHeaders().add("Retry-After", a.retryAfter);
    }
    exchange.sendResponseHeaders(a.status, -1);
    exchange.close();
  }

  static List<Series> decode(byte[] writeRequest) throws IOException {
    List<Series> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(writeRequest);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
      List<String> labels = new ArrayList<>();
      List<double[]> samples = new ArrayList<>();
      for (int t = ts.readTag(); t != 0; t = ts.readTag()) {
        CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
        if (t >>> 3 == 1) {
          String name = null;
          String value = null;
          for (int f = m.readTag(); f != 0; f = m.readTag()) {
            if (f >>> 3 == 1) {
              name = m.readString();
            } else {
              value = m.readString();
            }
          }
          labels.add(name);
          labels.add(value);
        } else {
          double value = 0;
          long timestamp = 0;
          for (int f = m.readTag(); f != 0; f = m.readTag()) {
            if (f >>> 3 == 1) {
              value = m.readDouble();
            } else {
              timestamp = m.readInt64();
            }
          }
          samples.add(new double[] {value, timestamp});
        }
      }
      for (double[] s : samples) {
        out.add(new Series(labels.toArray(new String[0]), s[0], (long) s[1]));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
