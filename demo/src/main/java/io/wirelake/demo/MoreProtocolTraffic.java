package io.wirelake.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * More of the demo's protocols, as their specifications lay them out: RADIUS authentication
 * (RFC 2865, over UDP), LDAP bind, search and unbind (RFC 4511, BER), Kafka Metadata requests
 * (Kafka's protocol guide, v1), and an AMQP 0-9-1 publish (protocol header, channel open,
 * basic.publish with its content header and body, channel close).
 */
final class MoreProtocolTraffic
{
    private MoreProtocolTraffic() {}

    // ---- RADIUS ----

    record RadiusExchange(byte[] request, byte[] response, boolean accepted) {}

    static RadiusExchange radius(Random random, int identifier, String user, boolean accept)
    {
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        attribute(attributes, 1, user.getBytes(StandardCharsets.UTF_8));
        byte[] password = new byte[16];
        random.nextBytes(password);
        attribute(attributes, 2, password);
        attribute(attributes, 4, new byte[] {10, 0, 25, (byte) 170});
        attribute(attributes, 61, new byte[] {0, 0, 0, 5});
        byte[] authenticator = new byte[16];
        random.nextBytes(authenticator);
        byte[] request = packet(1, identifier, authenticator, attributes.toByteArray());
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        attribute(reply, 18, (accept ? "Welcome, " + user : "Authentication failed").getBytes(StandardCharsets.UTF_8));
        byte[] responseAuthenticator = new byte[16];
        random.nextBytes(responseAuthenticator);
        byte[] response = packet(accept ? 2 : 3, identifier, responseAuthenticator, reply.toByteArray());
        return new RadiusExchange(request, response, accept);
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value)
    {
        out.write(type);
        out.write(2 + value.length);
        out.writeBytes(value);
    }

    private static byte[] packet(int code, int identifier, byte[] authenticator, byte[] attributes)
    {
        int length = 20 + attributes.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        out.write(code);
        out.write(identifier);
        out.write(length >>> 8);
        out.write(length);
        out.writeBytes(authenticator);
        out.writeBytes(attributes);
        return out.toByteArray();
    }

    // ---- LDAP ----

    static byte[] ldapBind(int messageId, String dn, String password)
    {
        byte[] bind = tlv(0x60, concat(tlv(0x02, new byte[] {3}), concat(tlv(0x04, utf8(dn)), tlv(0x80, utf8(password)))));
        return message(messageId, bind);
    }

    static byte[] ldapBindResponse(int messageId, int resultCode)
    {
        return message(messageId, tlv(0x61, result(resultCode)));
    }

    static byte[] ldapSearch(int messageId, String base, String attribute)
    {
        byte[] body = concat(tlv(0x04, utf8(base)), tlv(0x0A, new byte[] {2}));
        body = concat(body, tlv(0x0A, new byte[] {0}));
        body = concat(body, tlv(0x02, new byte[] {0}));
        body = concat(body, tlv(0x02, new byte[] {0}));
        body = concat(body, tlv(0x01, new byte[] {0}));
        body = concat(body, tlv(0x87, utf8("objectClass")));
        body = concat(body, tlv(0x30, tlv(0x04, utf8(attribute))));
        return message(messageId, tlv(0x63, body));
    }

    static byte[] ldapSearchEntry(int messageId, String dn, String attribute, String value)
    {
        byte[] attributes = tlv(0x30, tlv(0x30, concat(tlv(0x04, utf8(attribute)), tlv(0x31, tlv(0x04, utf8(value))))));
        return message(messageId, tlv(0x64, concat(tlv(0x04, utf8(dn)), attributes)));
    }

    static byte[] ldapSearchDone(int messageId)
    {
        return message(messageId, tlv(0x65, result(0)));
    }

    static byte[] ldapUnbind(int messageId)
    {
        return message(messageId, tlv(0x42, new byte[0]));
    }

    private static byte[] result(int code)
    {
        return concat(tlv(0x0A, new byte[] {(byte) code}), concat(tlv(0x04, new byte[0]), tlv(0x04, new byte[0])));
    }

    private static byte[] message(int messageId, byte[] operation)
    {
        return tlv(0x30, concat(tlv(0x02, new byte[] {(byte) messageId}), operation));
    }

    private static byte[] tlv(int tag, byte[] value)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
        out.write(tag);
        if (value.length < 128) {
            out.write(value.length);
        }
        else {
            out.write(0x82);
            out.write(value.length >>> 8);
            out.write(value.length);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    // ---- Kafka ----

    static byte[] kafkaMetadataRequest(int correlationId, String clientId, String topic)
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int16(body, 3);
        int16(body, 1);
        int32(body, correlationId);
        string(body, clientId);
        int32(body, 1);
        string(body, topic);
        return sized(body.toByteArray());
    }

    static byte[] kafkaMetadataResponse(int correlationId, String topic, String host, int port)
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int32(body, correlationId);
        int32(body, 1);
        int32(body, 1);
        string(body, host);
        int32(body, port);
        int16(body, -1);
        int32(body, 1);
        int32(body, 1);
        int16(body, 0);
        string(body, topic);
        body.write(0);
        int32(body, 1);
        int16(body, 0);
        int32(body, 0);
        int32(body, 1);
        int32(body, 1);
        int32(body, 1);
        int32(body, 1);
        int32(body, 1);
        return sized(body.toByteArray());
    }

    private static byte[] sized(byte[] message)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 4);
        int32(out, message.length);
        out.writeBytes(message);
        return out.toByteArray();
    }

    private static void int16(ByteArrayOutputStream out, int value)
    {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void int32(ByteArrayOutputStream out, int value)
    {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void string(ByteArrayOutputStream out, String value)
    {
        byte[] bytes = utf8(value);
        int16(out, bytes.length);
        out.writeBytes(bytes);
    }

    // ---- AMQP 0-9-1 ----

    static byte[] amqpProtocolHeader()
    {
        return new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    }

    static byte[] amqpChannelOpen()
    {
        return method(1, 20, 10, new byte[] {0});
    }

    static byte[] amqpChannelOpenOk()
    {
        return method(1, 20, 11, new byte[] {0, 0, 0, 0});
    }

    /** basic.publish, its content header and one body frame. */
    static byte[] amqpPublish(String exchange, String routingKey, byte[] body)
    {
        ByteArrayOutputStream arguments = new ByteArrayOutputStream();
        int16(arguments, 0);
        shortString(arguments, exchange);
        shortString(arguments, routingKey);
        arguments.write(0);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int16(header, 60);
        int16(header, 0);
        int32(header, 0);
        int32(header, body.length);
        int16(header, 0);
        return concat(method(1, 60, 40, arguments.toByteArray()), concat(frame(2, 1, header.toByteArray()), frame(3, 1, body)));
    }

    static byte[] amqpChannelClose()
    {
        ByteArrayOutputStream arguments = new ByteArrayOutputStream();
        int16(arguments, 200);
        shortString(arguments, "bye");
        int16(arguments, 0);
        int16(arguments, 0);
        return method(1, 20, 40, arguments.toByteArray());
    }

    static byte[] amqpChannelCloseOk()
    {
        return method(1, 20, 41, new byte[0]);
    }

    private static byte[] method(int channel, int classId, int methodId, byte[] arguments)
    {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int16(payload, classId);
        int16(payload, methodId);
        payload.writeBytes(arguments);
        return frame(1, channel, payload.toByteArray());
    }

    private static byte[] frame(int type, int channel, byte[] payload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
        out.write(type);
        int16(out, channel);
        int32(out, payload.length);
        out.writeBytes(payload);
        out.write(0xCE);
        return out.toByteArray();
    }

    private static void shortString(ByteArrayOutputStream out, String value)
    {
        byte[] bytes = utf8(value);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] utf8(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second)
    {
        return ProtocolTraffic.concat(first, second);
    }
}
