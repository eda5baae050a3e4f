package io.wirelake.dissect.recorded;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.wirelake.dissect.testing.DelayingRelay;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gRPC calls that go wrong, recorded from grpc-java on loopback: a unary call whose server is
 * slower than the client's deadline (the client resets the stream with CANCEL; the server, its
 * own deadline passed, still sends trailers with DEADLINE_EXCEEDED and its own RST_STREAM), a
 * call the client cancels before any answer, a server that answers with trailers only, and a
 * call that succeeds. Each call must be exactly one row, with its request, whatever order its
 * end arrives in; compared stream by stream with tshark's HTTP/2 dissection of the same file.
 */
@Tag("root")
class GrpcFailuresTest
{
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>()
    {
        @Override
        public InputStream stream(byte[] value)
        {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream)
        {
            try {
                return stream.readAllBytes();
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> SLOW = method("shop.Orders/Slow");
    private static final MethodDescriptor<byte[], byte[]> LIMITED = method("shop.Orders/Limited");
    private static final MethodDescriptor<byte[], byte[]> MISSING = method("shop.Orders/Missing");
    private static final MethodDescriptor<byte[], byte[]> ECHO = method("shop.Orders/Echo");

    @TempDir
    static Path directory;
    static Path capture;
    static int port;
    static int relayPort;

    @BeforeAll
    static void record()
            throws Exception
    {
        CountDownLatch slowCallsDone = new CountDownLatch(2);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ServerServiceDefinition orders = ServerServiceDefinition.builder("shop.Orders")
                .addMethod(SLOW, ServerCalls.asyncUnaryCall((request, responses) -> {
                    // slower than any client deadline here: the call's end comes from the client or from the deadline
                    try {
                        Thread.sleep(1500);
                        responses.onNext(request);
                        responses.onCompleted();
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    catch (StatusRuntimeException e) {
                        // the call was cancelled meanwhile
                    }
                    finally {
                        slowCallsDone.countDown();
                    }
                }))
                // a server with its own time limit, shorter than the client's deadline: it ends the call with DEADLINE_EXCEEDED
                .addMethod(LIMITED, ServerCalls.asyncUnaryCall((request, responses) -> timer.schedule(() ->
                        responses.onError(Status.DEADLINE_EXCEEDED.withDescription("the order service's limit of 250 ms passed").asRuntimeException()),
                        250, TimeUnit.MILLISECONDS)))
                .addMethod(MISSING, ServerCalls.asyncUnaryCall((request, responses) ->
                        responses.onError(Status.NOT_FOUND.withDescription("no order 42 (gone)").asRuntimeException())))
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, responses) -> {
                    responses.onNext(request);
                    responses.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(orders).build().start();
        port = server.getPort();
        try (DelayingRelay relay = new DelayingRelay(port);
                LoopbackCapture recording = LoopbackCapture.start(directory.resolve("grpc-failures.pcap"), "tcp port " + port + " or tcp port " + relay.port())) {
            relayPort = relay.port();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", relay.port()).usePlaintext().build();
            try {
                byte[] order = "order 42".getBytes(StandardCharsets.UTF_8);
                assertThat(ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, order)).isEqualTo(order);
                // The deadline calls cross a congested path (from 200 to 400 ms into the call, bytes wait 200 ms both ways), so
                // each side's end of the call is on its way before the other's arrives: near the client the client's end comes
                // first, near the server the server's does.
                // 1. the deadline passes on both sides: grpc-java's client resets the stream with CANCEL, and so does its
                // server when its own deadline (from the grpc-timeout header) passes before the client's reset arrives.
                relay.congest(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200));
                assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, SLOW, CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), order))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
                Thread.sleep(400);
                // 2. the server's limit passes first: it sends trailers with DEADLINE_EXCEEDED, which reach the client after
                // its own deadline has made it reset the stream.
                relay.congest(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200));
                assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, LIMITED, CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), order))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
                Thread.sleep(400);
                // 3. the client gives up before any answer: CANCELLED
                ClientCall<byte[], byte[]> call = channel.newCall(SLOW, CallOptions.DEFAULT);
                com.google.common.util.concurrent.ListenableFuture<byte[]> future = ClientCalls.futureUnaryCall(call, order);
                Thread.sleep(200);
                call.cancel("the user closed the page", null);
                assertThatThrownBy(future::get).hasCauseInstanceOf(StatusRuntimeException.class);
                // 4. trailers only: an error before any message
                assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, MISSING, CallOptions.DEFAULT, order))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
                assertThat(slowCallsDone.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
            }
            finally {
                channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
                server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
                timer.shutdownNow();
            }
            capture = recording.stop();
        }
    }

    private static MethodDescriptor<byte[], byte[]> method(String name)
    {
        return MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES).setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(name).build();
    }

    @Test
    void everyCallIsOneRowWithItsRequestItsStatusAndItsResets()
            throws Exception
    {
        List<GenericData.Record> all = Dissection.of(capture).calls("gRPC");
        // the client's leg (to the relay) and the server's leg (from the relay): the same calls, their ends in other orders
        for (int leg : new int[] {relayPort, port}) {
            List<GenericData.Record> calls = all.stream().filter(call -> (Long) call.get("dst_port") == leg).toList();
            assertThat(calls).extracting(call -> call.get("path").toString()).as("leg to port %d", leg)
                    .containsExactly("/shop.Orders/Echo", "/shop.Orders/Slow", "/shop.Orders/Limited", "/shop.Orders/Slow", "/shop.Orders/Missing");
            GenericData.Record echo = calls.get(0);
            GenericData.Record deadline = calls.get(1);
            GenericData.Record limited = calls.get(2);
            GenericData.Record cancelled = calls.get(3);
            GenericData.Record missing = calls.get(4);

            assertThat(echo.get("grpc_status")).isEqualTo(0L);
            assertThat(echo.get("http2_client_reset").toString()).isEmpty();
            assertThat(echo.get("http2_server_reset").toString()).isEmpty();
            assertThat(echo.get("grpc_response_messages")).isEqualTo(1L);
            assertThat(echo.get("anomalies")).asList().isEmpty();

            // both sides' deadlines: both resets in one row, and the status the client saw (its CANCEL came at its grpc-timeout)
            assertThat(deadline.get("http2_client_reset").toString()).isEqualTo("CANCEL");
            assertThat(deadline.get("http2_server_reset").toString()).isEqualTo("CANCEL");
            assertThat(deadline.get("grpc_status")).isEqualTo(4L);
            assertThat(deadline.get("grpc_request_messages")).isEqualTo(1L);
            assertThat(deadline.get("grpc_response_messages")).isEqualTo(0L);
            assertThat(deadline.get("anomalies")).asList().map(Object::toString).containsExactly("grpc.status_from_rst_stream");

            // the server's trailers and the client's reset, in either order: one row with both
            assertThat(limited.get("grpc_status")).isEqualTo(4L);
            assertThat(limited.get("grpc_message").toString()).isEqualTo("the order service's limit of 250 ms passed");
            assertThat(limited.get("status_code")).isEqualTo(200L);
            // near the client its reset came before the trailers; near the server after both sides had ended the stream
            assertThat(limited.get("http2_client_reset").toString()).isEqualTo(leg == relayPort ? "CANCEL" : "");
            assertThat(limited.get("http2_server_reset").toString()).isEmpty();
            assertThat(limited.get("anomalies")).asList().isEmpty();

            // no answer at all: the client's reset ends the call, and the status is what the client saw (gRPC's mapping of CANCEL)
            assertThat(cancelled.get("http2_client_reset").toString()).isEqualTo("CANCEL");
            assertThat(cancelled.get("http2_server_reset").toString()).isEmpty();
            assertThat(cancelled.get("status_code")).isEqualTo(0L);
            assertThat(cancelled.get("grpc_status")).isEqualTo(1L);
            assertThat(cancelled.get("anomalies")).asList().map(Object::toString).contains("grpc.status_from_rst_stream");

            // trailers only: :status, grpc-status and grpc-message in the one HEADERS frame
            assertThat(missing.get("grpc_status")).isEqualTo(5L);
            assertThat(missing.get("grpc_message").toString()).isEqualTo("no order 42 (gone)");
            assertThat(missing.get("status_code")).isEqualTo(200L);
            assertThat(missing.get("http2_client_reset").toString()).isEmpty();

            // tshark, stream by stream: the path, the grpc-status of the response's header blocks, and who reset with which code
            Map<Long, List<String>> ours = new TreeMap<>();
            for (GenericData.Record call : calls) {
                List<String> facts = new ArrayList<>();
                facts.add("path " + call.get("path"));
                boolean fromReset = ((List<?>) call.get("anomalies")).stream().anyMatch(anomaly -> anomaly.toString().equals("grpc.status_from_rst_stream"));
                if (!fromReset) {
                    facts.add("grpc-status " + call.get("grpc_status"));
                }
                if (!call.get("http2_client_reset").toString().isEmpty()) {
                    facts.add("client RST_STREAM " + call.get("http2_client_reset"));
                }
                if (!call.get("http2_server_reset").toString().isEmpty()) {
                    facts.add("server RST_STREAM " + call.get("http2_server_reset"));
                }
                ours.put((Long) call.get("http2_stream_id"), facts);
            }
            assertThat(ours).as("leg to port %d", leg).isEqualTo(tsharkStreams(leg));
        }
        // the order of the deadline calls' ends differs between the legs, as the congestion made it
        assertThat(endOrder(relayPort, 5)).containsExactly("client RST_STREAM", "server RST_STREAM");
        assertThat(endOrder(port, 5)).containsExactly("server RST_STREAM", "client RST_STREAM");
        assertThat(endOrder(relayPort, 7).subList(0, 2)).containsExactly("client RST_STREAM", "server HEADERS");
        assertThat(endOrder(port, 7).subList(0, 2)).containsExactly("server HEADERS", "client RST_STREAM");
    }

    /** The frames that ended a stream on one leg (the server's header blocks and either side's resets), in capture order. */
    private static List<String> endOrder(int leg, int stream)
            throws Exception
    {
        List<String> frames = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-d", "tcp.port==" + leg + ",http2", "-Y", "tcp.port == " + leg + " && http2.streamid == " + stream),
                "tcp.srcport", "http2.streamid", "http2.type")) {
            String sender = Integer.parseInt(row[0]) == leg ? "server" : "client";
            String[] streams = row[1].split(",");
            String[] types = row[2].split(",");
            for (int frame = 0; frame < types.length; frame++) {
                if (streams[frame].equals(String.valueOf(stream)) && (types[frame].equals("3") || (types[frame].equals("1") && sender.equals("server")))) {
                    frames.add(sender + (types[frame].equals("3") ? " RST_STREAM" : " HEADERS"));
                }
            }
        }
        return frames;
    }

    /**
     * Per stream, from tshark's frames on one leg: the request's path, the grpc-status the server
     * sent, and each side's first RST_STREAM with its error name, unless it came after both sides
     * had ended the stream with END_STREAM (a late reset of a stream already done).
     */
    private static Map<Long, List<String>> tsharkStreams(int leg)
            throws Exception
    {
        Map<Long, List<String>> streams = new TreeMap<>();
        Map<Long, List<String>> resets = new LinkedHashMap<>();
        Map<Long, Set<String>> endedBy = new LinkedHashMap<>();
        for (String[] row : Tshark.fields(capture, List.of("-d", "tcp.port==" + leg + ",http2", "-Y", "tcp.port == " + leg + " && http2.streamid > 0"),
                "tcp.srcport", "http2.streamid", "http2.type", "http2.flags", "http2.headers.path", "http2.header.name", "http2.header.value",
                "http2.rst_stream.error")) {
            String sender = Integer.parseInt(row[0]) == leg ? "server" : "client";
            String[] streamIds = row[1].split(",");
            String[] types = row[2].split(",");
            String[] flags = row[3].split(",");
            List<String> paths = split(row[4]);
            List<String> names = split(row[5]);
            List<String> values = List.of(row[6].split(",", -1));
            List<String> errors = split(row[7]);
            int path = 0;
            int error = 0;
            long lastHeaders = -1;
            for (int frame = 0; frame < types.length; frame++) {
                long stream = Long.parseLong(streamIds[frame]);
                if (stream == 0) {
                    continue;
                }
                List<String> facts = streams.computeIfAbsent(stream, id -> new ArrayList<>());
                Set<String> ended = endedBy.computeIfAbsent(stream, id -> new HashSet<>());
                boolean endStream = (types[frame].equals("0") || types[frame].equals("1")) && (Long.decode(flags[frame]) & 1) != 0;
                if (types[frame].equals("1")) {
                    lastHeaders = stream;
                    if (sender.equals("client") && path < paths.size()) {
                        facts.add(0, "path " + paths.get(path++));
                    }
                }
                if (endStream) {
                    ended.add(sender);
                }
                if (types[frame].equals("3")) {
                    String reset = sender + " RST_STREAM " + errorName(Long.decode(errors.get(error++)));
                    List<String> sent = resets.computeIfAbsent(stream, id -> new ArrayList<>());
                    // the row keeps each side's first reset (a client answers late frames with STREAM_CLOSED)
                    if (ended.size() < 2 && sent.stream().noneMatch(earlier -> earlier.startsWith(sender))) {
                        sent.add(reset);
                    }
                }
            }
            for (int index = 0; index < names.size(); index++) {
                if (names.get(index).equals("grpc-status")) {
                    streams.get(lastHeaders).add("grpc-status " + values.get(index));
                }
            }
        }
        for (Map.Entry<Long, List<String>> reset : resets.entrySet()) {
            // client first: the row names each side's reset in a column of its own
            reset.getValue().stream().sorted().forEach(streams.get(reset.getKey())::add);
        }
        return streams;
    }

    private static List<String> split(String field)
    {
        return field.isEmpty() ? List.of() : List.of(field.split(","));
    }

    /** RFC 9113 section 7's error code names, written out here (not taken from the dissector). */
    private static String errorName(long code)
    {
        return List.of("NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR",
                "REFUSED_STREAM", "CANCEL", "COMPRESS_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED").get((int) code);
    }
}
