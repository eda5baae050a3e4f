package io.wirelake.demo;

import java.util.Map;
import java.util.Random;

/**
 * Connections of the demo's non-HTTP services, shared by the demo traffic and the drift scenario.
 * Each adds the rows a dissection makes of it to {@code calls}, by protocol (and a few details).
 */
final class ServiceConversations
{
    private ServiceConversations() {}

    /** A Redis client: a few commands (RESP2) on one connection, each answered. */
    static void redis(Random random, DemoCluster.Edge edge, TcpConversation connection, Map<String, Long> calls)
    {
        int commands = 1 + random.nextInt(8);
        for (int command = 0; command < commands; command++) {
            ProtocolTraffic.RedisExchange exchange = ProtocolTraffic.redis(random, edge.paths().get(0));
            connection.clientSends(exchange.command());
            connection.advance(80 + random.nextInt(900));
            connection.serverSends(exchange.reply());
            connection.advance(100 + random.nextInt(20_000));
            calls.merge("Redis", 1L, Long::sum);
        }
    }

    /** A Kafka producer asking for its topic's metadata a few times. */
    static void kafka(Random random, DemoCluster.Edge edge, TcpConversation connection, Map<String, Long> calls)
    {
        int requests = 1 + random.nextInt(4);
        for (int request = 0; request < requests; request++) {
            int correlation = random.nextInt(1 << 20);
            connection.clientSends(MoreProtocolTraffic.kafkaMetadataRequest(correlation, edge.client().name().split("-")[0] + "-producer", edge.paths().get(0)));
            connection.advance(300 + random.nextInt(5_000));
            connection.serverSends(MoreProtocolTraffic.kafkaMetadataResponse(correlation, edge.paths().get(0), edge.server().serviceHost(), edge.server().port()));
            connection.advance(1_000 + random.nextInt(100_000));
            calls.merge("Kafka", 1L, Long::sum);
        }
    }

    /** An AMQP 0-9-1 publisher: protocol header, channel open, a few basic.publish, channel close. */
    static void amqp(Random random, DemoCluster.Edge edge, TcpConversation connection, Map<String, Long> calls)
    {
        connection.clientSends(MoreProtocolTraffic.amqpProtocolHeader());
        connection.clientSends(MoreProtocolTraffic.amqpChannelOpen());
        connection.serverSends(MoreProtocolTraffic.amqpChannelOpenOk());
        int publishes = 1 + random.nextInt(5);
        for (int publish = 0; publish < publishes; publish++) {
            connection.advance(200 + random.nextInt(20_000));
            connection.clientSends(MoreProtocolTraffic.amqpPublish(edge.paths().get(0), "charge.completed",
                    ProtocolTraffic.bytes("{\"charge\":" + random.nextInt(99999) + ",\"amount\":" + random.nextInt(500) + "}")));
        }
        connection.clientSends(MoreProtocolTraffic.amqpChannelClose());
        connection.serverSends(MoreProtocolTraffic.amqpChannelCloseOk());
        calls.merge("AMQP", 4L + publishes, Long::sum);
        calls.merge("AMQP publishes", (long) publishes, Long::sum);
    }

    /** An LDAP client: bind, one search and its entries, unbind. */
    static void ldap(Random random, DemoCluster.Edge edge, TcpConversation connection, Map<String, Long> calls)
    {
        connection.clientSends(MoreProtocolTraffic.ldapBind(1, "cn=gateway,dc=shop,dc=example", "s3cret"));
        connection.advance(200 + random.nextInt(2_000));
        connection.serverSends(MoreProtocolTraffic.ldapBindResponse(1, 0));
        connection.clientSends(MoreProtocolTraffic.ldapSearch(2, edge.paths().get(0), "mail"));
        connection.advance(300 + random.nextInt(8_000));
        int entries = random.nextInt(4);
        for (int entry = 0; entry < entries; entry++) {
            connection.serverSends(MoreProtocolTraffic.ldapSearchEntry(2, "uid=user" + random.nextInt(500) + "," + edge.paths().get(0), "mail",
                    "user" + entry + "@shop.example"));
        }
        connection.serverSends(MoreProtocolTraffic.ldapSearchDone(2));
        connection.clientSends(MoreProtocolTraffic.ldapUnbind(3));
        calls.merge("LDAP", 3L, Long::sum);
    }
}
