package io.wirelake.dissect.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Three network namespaces of this test JVM, a client and a server with a router between them
 * (veth pairs; IPv4 and IPv6; the router forwards), so real tools meet real routing: TTLs that
 * run out on the router, a smaller MTU on the router's server side (1280), ports that are closed.
 * Never touches the host's own interfaces. Needs root; removed on close.
 *
 * <pre>
 *   client 10.66.1.2 fd66:1::2 ── router 10.66.1.1 fd66:1::1 | 10.66.2.1 fd66:2::1 (MTU 1280) ── server 10.66.2.2 fd66:2::2
 * </pre>
 */
public final class RoutedNamespaces
        implements AutoCloseable
{
    public static final String CLIENT_V4 = "10.66.1.2";
    public static final String ROUTER_V4 = "10.66.1.1";
    public static final String SERVER_V4 = "10.66.2.2";
    public static final String CLIENT_V6 = "fd66:1::2";
    public static final String ROUTER_V6 = "fd66:1::1";
    public static final String SERVER_V6 = "fd66:2::2";
    /** The MTU of the router's link to the server. */
    public static final int SERVER_LINK_MTU = 1280;

    private final String prefix;
    private final List<String> created = new ArrayList<>();

    private RoutedNamespaces(String prefix)
    {
        this.prefix = prefix;
    }

    public static RoutedNamespaces create()
            throws IOException, InterruptedException
    {
        LoopbackCapture.requireRoot("network namespaces");
        RoutedNamespaces namespaces = new RoutedNamespaces("wl" + ProcessHandle.current().pid());
        try {
            namespaces.build();
        }
        catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
        return namespaces;
    }

    private void build()
            throws IOException, InterruptedException
    {
        for (String name : List.of("c", "r", "s")) {
            ip("netns", "add", prefix + name);
            created.add(prefix + name);
            ip("-n", prefix + name, "link", "set", "lo", "up");
        }
        ip("link", "add", clientInterface(), "netns", namespace("c"), "type", "veth", "peer", "name", prefix + "r0", "netns", namespace("r"));
        ip("link", "add", prefix + "r1", "netns", namespace("r"), "type", "veth", "peer", "name", prefix + "s0", "netns", namespace("s"));
        address("c", clientInterface(), CLIENT_V4 + "/24", CLIENT_V6 + "/64");
        address("r", prefix + "r0", ROUTER_V4 + "/24", ROUTER_V6 + "/64");
        address("r", prefix + "r1", "10.66.2.1/24", "fd66:2::1/64");
        address("s", prefix + "s0", SERVER_V4 + "/24", SERVER_V6 + "/64");
        ip("-n", namespace("r"), "link", "set", prefix + "r1", "mtu", String.valueOf(SERVER_LINK_MTU));
        ip("-n", namespace("c"), "route", "add", "default", "via", ROUTER_V4);
        ip("-n", namespace("c"), "-6", "route", "add", "default", "via", ROUTER_V6);
        ip("-n", namespace("s"), "route", "add", "default", "via", "10.66.2.1");
        ip("-n", namespace("s"), "-6", "route", "add", "default", "via", "fd66:2::1");
        in("r", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
    }

    private void address(String name, String device, String v4, String v6)
            throws IOException, InterruptedException
    {
        ip("-n", namespace(name), "addr", "add", v4, "dev", device);
        // no duplicate address detection: the address is usable at once
        ip("-n", namespace(name), "addr", "add", v6, "dev", device, "nodad");
        ip("-n", namespace(name), "link", "set", device, "up");
    }

    /** The namespace's full name: {@code c} (client), {@code r} (router) or {@code s} (server). */
    public String namespace(String name)
    {
        return prefix + name;
    }

    /** The client's interface towards the router, where a capture sees what the client sees. */
    public String clientInterface()
    {
        return prefix + "c0";
    }

    /** Runs a command in a namespace to completion; its standard output and error together. Fails on a non-zero exit. */
    public String in(String name, String... command)
            throws IOException, InterruptedException
    {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace(name)));
        line.addAll(List.of(command));
        return LoopbackCapture.run(line);
    }

    /** As {@link #in}, for commands whose non-zero exit is their answer (ping without replies). */
    public String inAllowingFailure(String name, String... command)
            throws IOException, InterruptedException
    {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace(name)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + line);
        }
        return output;
    }

    private static void ip(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        LoopbackCapture.run(command);
    }

    @Override
    public void close()
    {
        // deleting a namespace deletes its ends of the veth pairs, and so the pairs
        for (String name : created) {
            try {
                ip("netns", "del", name);
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
