package io.wirelake.dissect.recorded;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * grpc-java over plaintext HTTP/2 on loopback (the standard health service: no generated code of
 * our own): unary calls that succeed and fail, and a server-streaming call the client cancels.
 * Recorded with tcpdump and compared with tshark's HTTP/2 and gRPC dissection of the same file.
 */
@Tag("root")
class GrpcJavaTest
{
    @TempDir
    static Path directory;
    static Path capture;
    static int port;

    @BeforeAll
    static void record()
            throws Exception
    {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("shop.Orders", HealthCheckResponse.ServingStatus.SERVING);
        health.setStatus("shop.Payments", HealthCheckResponse.ServingStatus.NOT_SERVING);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(health.getHealthService()).build().start();
        port = server.getPort();
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("grpc.pcap"), "tcp port " + port)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
                assertThat(stub.check(HealthCheckRequest.newBuilder().setService("shop.Orders").build()).getStatus())
                        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                assertThat(stub.check(HealthCheckRequest.newBuilder().setService("shop.Payments").build()).getStatus())
                        .isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
                assertThatThrownBy(() -> stub.check(HealthCheckRequest.newBuilder().setService("shop.Unknown").build()))
                        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("NOT_FOUND");
                // A server stream: the first update, then the client cancels (RST_STREAM).
                io.grpc.Context.CancellableContext watch = io.grpc.Context.current().withCancellation();
                watch.run(() -> {
                    Iterator<HealthCheckResponse> updates = stub.watch(HealthCheckRequest.newBuilder().setService("shop.Orders").build());
                    assertThat(updates.next().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                });
                watch.cancel(null);
                Thread.sleep(300);
            }
            finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            capture = recording.stop();
        }
    }

    @Test
    void callsAgreeWithTshark()
            throws Exception
    {
        List<GenericData.Record> calls = Dissection.of(capture).calls("gRPC");
        assertThat(calls).hasSize(4);
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.get("grpc")).isEqualTo(true);
            assertThat(call.get("http")).isEqualTo(true);
            assertThat(call.get("grpc_service")).isEqualTo("grpc.health.v1.Health");
            assertThat(call.get("status_code")).isEqualTo(200L);
        });
        // the cancelled stream has no grpc-status on the wire: its status is the client's (CANCELLED), from its reset
        assertThat(calls).extracting(call -> call.get("grpc_method") + " " + call.get("grpc_status"))
                .containsExactly("Check 0", "Check 0", "Check 5", "Watch 1");
        assertThat(calls.get(2).get("grpc_message").toString()).contains("unknown service");
        assertThat(calls.get(3).get("http2_client_reset").toString()).isEqualTo("CANCEL");
        assertThat(calls.get(3).get("anomalies")).asList().map(Object::toString).containsExactly("grpc.status_from_rst_stream");

        // tshark: the paths, the grpc-status values in the trailers, and every gRPC message's length.
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",http2");
        List<String> paths = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, decodeAs, "http2.headers.path", "http2.header.name", "http2.header.value")) {
            if (row.length > 0 && !row[0].isEmpty()) {
                paths.addAll(List.of(row[0].split(",")));
            }
            if (row.length > 2 && !row[1].isEmpty()) {
                String[] names = row[1].split(",");
                String[] values = row[2].split(",", -1);
                for (int i = 0; i < names.length && i < values.length; i++) {
                    if (names[i].equals("grpc-status")) {
                        statuses.add(values[i]);
                    }
                }
            }
        }
        assertThat(calls).extracting(call -> call.get("path").toString()).containsExactlyInAnyOrderElementsOf(paths);
        assertThat(calls.subList(0, 3)).extracting(call -> call.get("grpc_status").toString()).containsExactlyElementsOf(statuses);
        List<Long> lengths = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-d", "tcp.port==" + port + ",http2", "-Y", "grpc"), "grpc.message_length")) {
            for (String length : row[0].split(",")) {
                lengths.add(Long.parseLong(length));
            }
        }
        long messages = calls.stream().mapToLong(call -> (Long) call.get("grpc_request_messages") + (Long) call.get("grpc_response_messages")).sum();
        long bytes = calls.stream().mapToLong(call -> (Long) call.get("grpc_request_message_bytes") + (Long) call.get("grpc_response_message_bytes")).sum();
        assertThat(messages).isEqualTo(lengths.size());
        assertThat(bytes).isEqualTo(lengths.stream().mapToLong(Long::longValue).sum());
    }
}
