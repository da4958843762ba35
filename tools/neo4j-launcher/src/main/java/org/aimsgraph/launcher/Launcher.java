package org.aimsgraph.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts Neo4j Community embedded with its Bolt connector, so that developers and CI run the same
 * server version that users run from the neo4j:5.26-community image, without a Docker engine.
 *
 * <p>Settings come from system properties so that tools/neo4j can size the instance:
 * aimsgraph.home (data folder), aimsgraph.bolt.host, aimsgraph.bolt.port,
 * aimsgraph.pagecache.mb, aimsgraph.tx.timeout.s, aimsgraph.tx.memory.mb. The JVM heap is set
 * with -Xmx by the caller.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("aimsgraph.home", ".neo4j"));
        String host = System.getProperty("aimsgraph.bolt.host", "127.0.0.1");
        int port = Integer.getInteger("aimsgraph.bolt.port", 7687);
        long pageCacheMb = Long.getLong("aimsgraph.pagecache.mb", 512L);
        long txTimeoutS = Long.getLong("aimsgraph.tx.timeout.s", 120L);
        long txMemoryMb = Long.getLong("aimsgraph.tx.memory.mb", 1024L);
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * 1024L * 1024L)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeoutS))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemoryMb * 1024L * 1024L)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("aimsgraph-neo4j: shutting down");
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        // The default database must be available before we announce readiness.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.printf("aimsgraph-neo4j: ready bolt://%s:%d home=%s%n", host, port, home.toAbsolutePath());
        System.out.flush();
        stopped.await();
    }
}
