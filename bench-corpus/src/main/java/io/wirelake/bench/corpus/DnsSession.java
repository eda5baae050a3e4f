package io.wirelake.bench.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * dnsmasq (port 53) answering for a cluster-like zone of a few hundred services, and dig: lookups
 * of A, AAAA, SRV-less service names, MX and TXT records, names that do not exist, over UDP and
 * some over TCP.
 */
final class DnsSession
        implements Session
{
    static final int PORT = 53;
    private static final int SERVICES = 300;

    private Process dnsmasq;
    private Path directory;

    @Override
    public String name()
    {
        return "dns (dnsmasq, dig)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        this.directory = directory;
        StringBuilder hosts = new StringBuilder();
        for (int service = 0; service < SERVICES; service++) {
            hosts.append("10.96.").append(service / 250).append('.').append(1 + service % 250).append(" service-").append(service)
                    .append(".shop.svc.cluster.local\n");
            hosts.append("fd00::").append(Integer.toHexString(service + 1)).append(" service-").append(service).append(".shop.svc.cluster.local\n");
        }
        Path hostsFile = Processes.write(directory.resolve("hosts"), hosts.toString());
        Path log = directory.resolve("dnsmasq.out");
        dnsmasq = Processes.start(log, List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--user=root", "--pid-file=",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + PORT, "--local=/cluster.local/", "--local=/example.com/",
                "--addn-hosts=" + hostsFile, "--mx-host=example.com,mail.example.com,10", "--txt-record=example.com,v=spf1 -all",
                "--cname=www.example.com,service-1.shop.svc.cluster.local", "--cache-size=0"));
        Processes.waitForTcp(PORT, dnsmasq, log);
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        Random random = new Random(53);
        List<String> queries = new ArrayList<>();
        for (int query = 0; query < Session.scaled(3_000, scale); query++) {
            int kind = random.nextInt(100);
            String name = "service-" + random.nextInt(SERVICES) + ".shop.svc.cluster.local";
            queries.add(kind < 60 ? name + " A" : kind < 85 ? name + " AAAA" : kind < 90 ? "example.com MX" : kind < 93 ? "example.com TXT"
                    : kind < 96 ? "www.example.com A" : "missing-" + random.nextInt(1000) + ".shop.svc.cluster.local A");
        }
        Path batch = Processes.write(directory.resolve("queries.txt"), String.join("\n", queries) + "\n");
        Processes.run(List.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+tries=2", "+time=3", "-f", batch.toString()));
        Path tcpBatch = Processes.write(directory.resolve("tcp-queries.txt"), String.join("\n", queries.subList(0, Math.max(1, queries.size() / 20))) + "\n");
        Processes.run(List.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+tcp", "+tries=2", "+time=3", "-f", tcpBatch.toString()));
    }

    @Override
    public void close()
            throws Exception
    {
        Processes.stop(dnsmasq);
    }
}
