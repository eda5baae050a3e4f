package io.wirelake.dissect.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lossy network path between two network namespaces of this test JVM, without netem: each
 * namespace has a TUN device (a socat process on the host side of it turns the device's IP
 * packets into UDP datagrams on loopback), and a relay in this JVM forwards every packet between
 * the two, dropping, duplicating and reordering TCP segments that carry data, at the rates given
 * and by a seeded random source (the same seed impairs the same packets of the same traffic).
 * Pure ACKs, handshakes and other protocols pass untouched. Needs root and socat; removed on close.
 *
 * <pre>
 *   namespace a: 10.77.0.1/24 on tun ── socat ── UDP ── relay (drop, duplicate, reorder) ── UDP ── socat ── tun 10.77.0.2/24: namespace b
 * </pre>
 */
public final class ImpairedLink
        implements AutoCloseable
{
    public static final String A = "10.77.0.1";
    public static final String B = "10.77.0.2";

    /** How to impair data segments: each a probability per segment; a reordered segment is held back behind the next one. */
    public record Impairment(double drop, double duplicate, double reorder, long seed) {}

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> socats = new ArrayList<>();
    private final DatagramSocket sideA;
    private final DatagramSocket sideB;
    private final List<Thread> relays = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private volatile boolean closed;

    private ImpairedLink(String prefix, DatagramSocket sideA, DatagramSocket sideB)
    {
        this.prefix = prefix;
        this.sideA = sideA;
        this.sideB = sideB;
    }

    public static ImpairedLink create(Impairment impairment)
            throws IOException, InterruptedException
    {
        LoopbackCapture.requireRoot("network namespaces and TUN devices");
        DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ImpairedLink link = new ImpairedLink("wi" + ProcessHandle.current().pid(), a, b);
        try {
            link.build(impairment);
        }
        catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
        return link;
    }

    private void build(Impairment impairment)
            throws IOException, InterruptedException
    {
        int socatA = LoopbackCapture.freeUdpPort();
        int socatB = LoopbackCapture.freeUdpPort();
        socat(device("a"), sideA.getLocalPort(), socatA);
        socat(device("b"), sideB.getLocalPort(), socatB);
        waitForDevice(device("a"));
        waitForDevice(device("b"));
        for (String side : List.of("a", "b")) {
            String namespace = namespace(side);
            LoopbackCapture.run(List.of("ip", "netns", "add", namespace));
            namespaces.add(namespace);
            LoopbackCapture.run(List.of("ip", "link", "set", device(side), "netns", namespace));
            LoopbackCapture.run(List.of("ip", "-n", namespace, "addr", "add", (side.equals("a") ? A : B) + "/24", "dev", device(side)));
            LoopbackCapture.run(List.of("ip", "-n", namespace, "link", "set", device(side), "up"));
            LoopbackCapture.run(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
        }
        Random random = new Random(impairment.seed());
        relays.add(relay(sideA, sideB, new InetSocketAddress(InetAddress.getLoopbackAddress(), socatB), impairment, new Random(random.nextLong())));
        relays.add(relay(sideB, sideA, new InetSocketAddress(InetAddress.getLoopbackAddress(), socatA), impairment, new Random(random.nextLong())));
    }

    /** socat opens the TUN device (it appears in the host's namespace, to be moved) and relays its packets over UDP. */
    private void socat(String device, int relayPort, int ownPort)
            throws IOException
    {
        socats.add(new ProcessBuilder("socat", "TUN,tun-name=" + device + ",iff-no-pi",
                "UDP:127.0.0.1:" + relayPort + ",sourceport=" + ownPort + ",reuseaddr").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private static void waitForDevice(String device)
            throws IOException, InterruptedException
    {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (new ProcessBuilder("ip", "link", "show", device).start().waitFor() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("socat did not create the TUN device " + device);
    }

    /** One direction: packets from one socat to the other, data segments impaired. */
    private Thread relay(DatagramSocket from, DatagramSocket to, InetSocketAddress destination, Impairment impairment, Random random)
    {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            byte[] held = null;
            try {
                while (!closed) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    from.receive(packet);
                    byte[] ip = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                    if (!carriesTcpData(ip)) {
                        send(to, ip, destination);
                        continue;
                    }
                    double roll = random.nextDouble();
                    if (roll < impairment.drop()) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    if (held == null && roll < impairment.drop() + impairment.reorder()) {
                        // held back: it goes after the next data segment
                        reordered.incrementAndGet();
                        held = ip;
                        continue;
                    }
                    send(to, ip, destination);
                    if (held != null) {
                        send(to, held, destination);
                        held = null;
                    }
                    if (roll >= 1 - impairment.duplicate()) {
                        duplicated.incrementAndGet();
                        send(to, ip, destination);
                    }
                }
            }
            catch (IOException e) {
                // the link is closed
            }
        }, "impaired-link");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void send(DatagramSocket socket, byte[] ip, InetSocketAddress destination)
            throws IOException
    {
        socket.send(new DatagramPacket(ip, ip.length, destination));
    }

    /** An IPv4 TCP segment with a payload (IHL and data offset honoured). */
    static boolean carriesTcpData(byte[] ip)
    {
        if (ip.length < 40 || (ip[0] & 0xF0) != 0x40 || (ip[9] & 0xFF) != 6) {
            return false;
        }
        int ipHeader = (ip[0] & 0x0F) * 4;
        int total = ((ip[2] & 0xFF) << 8) | (ip[3] & 0xFF);
        if (ip.length < ipHeader + 20) {
            return false;
        }
        int tcpHeader = ((ip[ipHeader + 12] & 0xF0) >>> 4) * 4;
        return total - ipHeader - tcpHeader > 0;
    }

    public String namespace(String side)
    {
        return prefix + side;
    }

    /** The namespace's TUN device, where a capture sees what that side sends and receives. */
    public String device(String side)
    {
        return prefix + "t" + side;
    }

    /** Runs a command in a namespace to completion; fails on a non-zero exit. */
    public String in(String side, String... command)
            throws IOException, InterruptedException
    {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        line.addAll(List.of(command));
        return LoopbackCapture.run(line);
    }

    /** Starts a command in a namespace and returns it running. */
    public Process start(String side, String... command)
            throws IOException
    {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        line.addAll(List.of(command));
        return new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    public long dropped()
    {
        return dropped.get();
    }

    public long duplicated()
    {
        return duplicated.get();
    }

    public long reordered()
    {
        return reordered.get();
    }

    @Override
    public void close()
    {
        closed = true;
        sideA.close();
        sideB.close();
        for (Process socat : socats) {
            socat.destroy();
            try {
                socat.waitFor(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String namespace : namespaces) {
            try {
                LoopbackCapture.run(List.of("ip", "netns", "del", namespace));
            }
            catch (IOException e) {
                // already gone
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
