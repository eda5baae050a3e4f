package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that stops reading while the sender keeps writing, recorded on loopback: the
 * receive window fills and closes, so the capture holds window-full and zero-window segments
 * (and the sender's zero-window probes). The flow's counters equal tshark's tcp.analysis.* counts.
 */
@Tag("root")
class StalledReceiverTest
{
    @TempDir
    Path directory;

    @Test
    void zeroWindowAndWindowFullAgreeWithTshark()
            throws Exception
    {
        Path capture;
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(8192);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("stalled.pcap"), "tcp port " + port)) {
                Thread sender = new Thread(() -> {
                    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream output = client.getOutputStream()) {
                        byte[] chunk = new byte[16384];
                        for (int i = 0; i < 64; i++) {
                            output.write(chunk);
                        }
                    }
                    catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                sender.start();
                try (Socket accepted = server.accept(); InputStream input = accepted.getInputStream()) {
                    Thread.sleep(1500);
                    byte[] buffer = new byte[4096];
                    while (input.read(buffer) >= 0) {
                        Thread.sleep(1);
                    }
                }
                sender.join(30_000);
                capture = recording.stop();
            }
        }
        List<GenericData.Record> flows = Dissection.of(capture).flows();
        assertThat(flows).hasSize(1);
        GenericData.Record flow = flows.get(0);
        long zeroWindows = Tshark.fields(capture, List.of("-Y", "tcp.analysis.zero_window"), "frame.number").size();
        long windowFull = Tshark.fields(capture, List.of("-Y", "tcp.analysis.window_full"), "frame.number").size();
        long duplicateAcks = Tshark.fields(capture, List.of("-Y", "tcp.analysis.duplicate_ack"), "frame.number").size();
        long samples = Tshark.fields(capture, List.of("-Y", "tcp.analysis.ack_rtt"), "frame.number").size();
        assertThat(zeroWindows).as("the recording closed the window").isPositive();
        assertThat(flow.get("tcp_zero_windows")).isEqualTo(zeroWindows);
        assertThat(flow.get("tcp_window_full")).isEqualTo(windowFull);
        assertThat(flow.get("tcp_dup_acks")).isEqualTo(duplicateAcks);
        assertThat(flow.get("tcp_rtt_samples")).isEqualTo(samples);
        assertThat(flow.get("tcp_completeness")).isEqualTo(31L);
        // The shifts each side's SYN offers, as tshark reads them (Linux offers window scaling on both sides, so both apply).
        List<String[]> syn = Tshark.fields(capture, List.of("-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0"), "tcp.options.wscale.shift");
        List<String[]> synAck = Tshark.fields(capture, List.of("-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 1"), "tcp.options.wscale.shift");
        assertThat(syn).hasSize(1);
        assertThat(synAck).hasSize(1);
        assertThat(syn.get(0)[0]).as("the client's SYN offers window scaling").isNotEmpty();
        assertThat(synAck.get(0)[0]).as("the server's SYN-ACK offers window scaling").isNotEmpty();
        assertThat(flow.get("tcp_local_window_scale")).isEqualTo(Long.parseLong(syn.get(0)[0]));
        assertThat(flow.get("tcp_remote_window_scale")).isEqualTo(Long.parseLong(synAck.get(0)[0]));
        assertThat(flow.get("tcp_local_goodput")).isNotEqualTo(0L);
    }
}
