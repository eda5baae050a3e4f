package io.wirelake.dissect.protocol.amqp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * AMQP 0-9-1's method names (class.method, as the specification's XML names them) and the
 * arguments the summaries use, read from a method frame's payload.
 */
final class AmqpMethods
{
    private AmqpMethods() {}

    static String name(int classId, int methodId)
    {
        String method = switch (classId) {
            case 10 -> switch (methodId) {
                case 10 -> "start";
                case 11 -> "start-ok";
                case 20 -> "secure";
                case 21 -> "secure-ok";
                case 30 -> "tune";
                case 31 -> "tune-ok";
                case 40 -> "open";
                case 41 -> "open-ok";
                case 50 -> "close";
                case 51 -> "close-ok";
                case 60 -> "blocked";
                case 61 -> "unblocked";
                default -> null;
            };
            case 20 -> switch (methodId) {
                case 10 -> "open";
                case 11 -> "open-ok";
                case 20 -> "flow";
                case 21 -> "flow-ok";
                case 40 -> "close";
                case 41 -> "close-ok";
                default -> null;
            };
            case 40 -> switch (methodId) {
                case 10 -> "declare";
                case 11 -> "declare-ok";
                case 20 -> "delete";
                case 21 -> "delete-ok";
                case 30 -> "bind";
                case 31 -> "bind-ok";
                case 40 -> "unbind";
                case 51 -> "unbind-ok";
                default -> null;
            };
            case 50 -> switch (methodId) {
                case 10 -> "declare";
                case 11 -> "declare-ok";
                case 20 -> "bind";
                case 21 -> "bind-ok";
                case 30 -> "purge";
                case 31 -> "purge-ok";
                case 40 -> "delete";
                case 41 -> "delete-ok";
                case 50 -> "unbind";
                case 51 -> "unbind-ok";
                default -> null;
            };
            case 60 -> switch (methodId) {
                case 10 -> "qos";
                case 11 -> "qos-ok";
                case 20 -> "consume";
                case 21 -> "consume-ok";
                case 30 -> "cancel";
                case 31 -> "cancel-ok";
                case 40 -> "publish";
                case 50 -> "return";
                case 60 -> "deliver";
                case 70 -> "get";
                case 71 -> "get-ok";
                case 72 -> "get-empty";
                case 80 -> "ack";
                case 90 -> "reject";
                case 100 -> "recover-async";
                case 110 -> "recover";
                case 111 -> "recover-ok";
                case 120 -> "nack";
                default -> null;
            };
            case 85 -> switch (methodId) {
                case 10 -> "select";
                case 11 -> "select-ok";
                default -> null;
            };
            case 90 -> switch (methodId) {
                case 10 -> "select";
                case 11 -> "select-ok";
                case 20 -> "commit";
                case 21 -> "commit-ok";
                case 30 -> "rollback";
                case 31 -> "rollback-ok";
                default -> null;
            };
            default -> null;
        };
        String className = switch (classId) {
            case 10 -> "connection";
            case 20 -> "channel";
            case 40 -> "exchange";
            case 50 -> "queue";
            case 60 -> "basic";
            case 85 -> "confirm";
            case 90 -> "tx";
            default -> "class" + classId;
        };
        return className + "." + (method != null ? method : "method" + methodId);
    }

    /** Whether the method carries content (a content header and body frames follow). */
    static boolean hasContent(int classId, int methodId)
    {
        return classId == 60 && (methodId == 40 || methodId == 50 || methodId == 60 || methodId == 71);
    }

    /** The summary of a method's arguments (payload after class and method ids); "" when it has none worth showing. */
    static String summary(int classId, int methodId, byte[] data, int start, int end)
    {
        Arguments in = new Arguments(data, start, end);
        List<String> parts = new ArrayList<>();
        try {
            switch (classId * 1000 + methodId) {
                case 10040 -> parts.add("vhost=" + in.shortString());
                case 10050, 20040 -> {
                    int code = in.shortInt();
                    parts.add("reply=" + code + " " + in.shortString());
                }
                case 40010 -> {
                    in.shortInt();
                    parts.add("exchange=" + in.shortString());
                    parts.add("type=" + in.shortString());
                }
                case 50010, 50030, 50040, 60020, 60070 -> {
                    in.shortInt();
                    parts.add("queue=" + in.shortString());
                }
                case 50011 -> parts.add("queue=" + in.shortString());
                case 50020, 50050 -> {
                    in.shortInt();
                    parts.add("queue=" + in.shortString());
                    parts.add("exchange=" + in.shortString());
                    parts.add("routing_key=" + in.shortString());
                }
                case 60040 -> {
                    in.shortInt();
                    parts.add("exchange=" + in.shortString());
                    parts.add("routing_key=" + in.shortString());
                }
                case 60060 -> {
                    parts.add("consumer_tag=" + in.shortString());
                    parts.add("delivery_tag=" + in.longLong());
                    in.skip(1);
                    parts.add("exchange=" + in.shortString());
                    parts.add("routing_key=" + in.shortString());
                }
                case 60050 -> {
                    int code = in.shortInt();
                    parts.add("reply=" + code + " " + in.shortString());
                    parts.add("exchange=" + in.shortString());
                    parts.add("routing_key=" + in.shortString());
                }
                case 60021, 60030 -> parts.add("consumer_tag=" + in.shortString());
                case 60071 -> {
                    parts.add("delivery_tag=" + in.longLong());
                    in.skip(1);
                    parts.add("exchange=" + in.shortString());
                    parts.add("routing_key=" + in.shortString());
                }
                case 60080, 60120 -> parts.add("delivery_tag=" + in.longLong());
                default -> {
                }
            }
        }
        catch (IndexOutOfBoundsException e) {
            parts.add("(arguments cut short)");
        }
        return String.join(" ", parts);
    }

    private static final class Arguments
    {
        private final byte[] data;
        private int at;
        private final int end;

        Arguments(byte[] data, int start, int end)
        {
            this.data = data;
            this.at = start;
            this.end = end;
        }

        private void need(int count)
        {
            if (at + count > end) {
                throw new IndexOutOfBoundsException();
            }
        }

        int shortInt()
        {
            need(2);
            int value = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
            at += 2;
            return value;
        }

        long longLong()
        {
            need(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (data[at + i] & 0xFF);
            }
            at += 8;
            return value;
        }

        void skip(int count)
        {
            need(count);
            at += count;
        }

        String shortString()
        {
            need(1);
            int length = data[at++] & 0xFF;
            need(length);
            String value = new String(data, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }
    }
}
