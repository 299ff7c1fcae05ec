package dev.switchboard.core.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

/**
 * DynamoDB Local, in this process, in memory, on a loopback port: what the local stack and the tests
 * run instead of the real DynamoDB. Needs {@code com.amazonaws:DynamoDBLocal} on the class path.
 */
public final class EmbeddedDynamo implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final int port;

    private EmbeddedDynamo(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on the given port, or on a free one when {@code port} is 0. */
    public static EmbeddedDynamo start(int port) {
        int chosen = port == 0 ? freePort() : port;
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(chosen), "-disableTelemetry"});
            server.start();
            return new EmbeddedDynamo(server, chosen);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosen, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
