package dev.switchboard.local;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What the load balancer in front of the relays does, for tests: one address for the whole fleet;
 * each new TCP connection (a webhook, a media stream) goes to the first relay whose {@code /health}
 * answers 200, so a dead relay (nothing listens) or a draining one (503) gets no new connection.
 * Bytes are relayed untouched both ways; when either side closes or dies, so does the other, as a
 * connection through a real load balancer does.
 */
final class Fleet implements AutoCloseable {

    /** Looks for a healthy relay again for up to 5 s (every 250 ms) before closing the connection. */
    static final int NO_HEALTHY_RETRIES = 20;

    private final Vertx vertx;
    private final List<IntSupplier> relayPorts;
    private final HttpClient health;
    private final NetClient net;
    private NetServer server;

    Fleet(Vertx vertx, List<IntSupplier> relayPorts) {
        this.vertx = vertx;
        this.relayPorts = relayPorts;
        this.health = vertx.createHttpClient();
        this.net = vertx.createNetClient();
    }

    int start() throws Exception {
        server = vertx.createNetServer().connectHandler(this::route);
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private void route(NetSocket client) {
        client.pause();
        route(client, 0, NO_HEALTHY_RETRIES);
    }

    /**
     * A relay that dies between its health check and the connection (killed a moment ago) is passed
     * over for the next one, as a load balancer retries a target that refuses the connection.
     */
    private void route(NetSocket client, int from, int retries) {
        healthyFrom(from).onComplete(found -> {
            if (found.failed()) {
                if (retries > 0) { // a busy machine can be slow to answer /health: look again shortly, as a real one would
                    vertx.setTimer(250, t -> route(client, 0, retries - 1));
                } else {
                    client.close();
                }
                return;
            }
            int index = found.result();
            net.connect(relayPorts.get(index).getAsInt(), "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    route(client, index + 1, retries);
                    return;
                }
                NetSocket relay = ar.result();
                client.handler(relay::write);
                relay.handler(client::write);
                client.closeHandler(v -> relay.close());
                relay.closeHandler(v -> client.close());
                client.exceptionHandler(e -> relay.close());
                relay.exceptionHandler(e -> client.close());
                client.resume();
            });
        });
    }

    /** The index of the first relay from {@code index} on that says it is healthy. */
    private Future<Integer> healthyFrom(int index) {
        if (index >= relayPorts.size()) {
            return Future.failedFuture("no healthy relay");
        }
        int port = relayPorts.get(index).getAsInt();
        if (port <= 0) {
            return healthyFrom(index + 1);
        }
        return health.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                        .setURI("/health").setTimeout(2000))
                .compose(req -> req.send())
                .map(resp -> resp.statusCode())
                .transform(ar -> ar.succeeded() && ar.result() == 200 ? Future.succeededFuture(index) : healthyFrom(index + 1));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        health.close();
        net.close();
    }
}
