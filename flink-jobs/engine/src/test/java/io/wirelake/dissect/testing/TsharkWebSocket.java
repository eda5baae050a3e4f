package io.wirelake.dissect.testing;

import io.wirelake.packets.testing.Tshark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tshark's WebSocket frames grouped into messages as RFC 6455 defines them: a data frame and its
 * continuations up to FIN are one message; a control frame is one of its own. Each message is
 * "direction opcode length" (direction: the sender's TCP port).
 */
public final class TsharkWebSocket
{
    private TsharkWebSocket() {}

    public static List<String> messages(Path capture, List<String> options)
            throws Exception
    {
        List<String> messages = new ArrayList<>();
        Map<String, long[]> open = new LinkedHashMap<>();
        Map<String, String> openOpcode = new LinkedHashMap<>();
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("-Y", "websocket"));
        for (String[] row : Tshark.fields(capture, arguments, "tcp.srcport", "websocket.fin", "websocket.opcode", "websocket.payload_length",
                "websocket.payload_length_ext_16", "websocket.payload_length_ext_64")) {
            String[] fins = row[1].split(",");
            String[] opcodes = row[2].split(",");
            String[] lengths = row[3].split(",");
            List<String> ext16 = row.length > 4 && !row[4].isEmpty() ? new ArrayList<>(List.of(row[4].split(","))) : new ArrayList<>();
            List<String> ext64 = row.length > 5 && !row[5].isEmpty() ? new ArrayList<>(List.of(row[5].split(","))) : new ArrayList<>();
            for (int frame = 0; frame < opcodes.length; frame++) {
                long length = Long.parseLong(lengths[frame]);
                if (length == 126) {
                    length = Long.parseLong(ext16.remove(0));
                }
                else if (length == 127) {
                    length = Long.parseLong(ext64.remove(0));
                }
                int opcode = Integer.parseInt(opcodes[frame]);
                boolean fin = fins[frame].equals("1") || fins[frame].equalsIgnoreCase("true");
                String direction = row[0];
                if (opcode >= 8) {
                    messages.add(direction + " " + name(opcode) + " " + length);
                    continue;
                }
                if (opcode != 0) {
                    open.put(direction, new long[] {0});
                    openOpcode.put(direction, name(opcode));
                }
                long[] total = open.computeIfAbsent(direction, key -> new long[] {0});
                total[0] += length;
                if (fin) {
                    messages.add(direction + " " + openOpcode.getOrDefault(direction, "binary") + " " + total[0]);
                    open.remove(direction);
                }
            }
        }
        return messages;
    }

    private static String name(int opcode)
    {
        return switch (opcode) {
            case 1 -> "text";
            case 2 -> "binary";
            case 8 -> "close";
            case 9 -> "ping";
            case 10 -> "pong";
            default -> "continuation";
        };
    }
}
