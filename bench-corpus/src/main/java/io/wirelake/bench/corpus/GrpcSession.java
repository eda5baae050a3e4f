package io.wirelake.bench.corpus;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java over h2c (port 50051): an order service's unary calls (small requests, replies of
 * one to tens of kilobytes, some NOT_FOUND), a catalog's server streams, and uploads of hundreds
 * of kilobytes. The methods carry bytes (a marshaller of byte arrays): gRPC's framing, HPACK and
 * trailers are real, no generated code is needed.
 */
final class GrpcSession
        implements Session
{
    static final int PORT = 50051;

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
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> GET_ORDER = method("shop.orders.v1.Orders/GetOrder", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<byte[], byte[]> LIST_PRODUCTS = method("shop.catalog.v1.Catalog/ListProducts", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<byte[], byte[]> UPLOAD = method("shop.media.v1.Media/Upload", MethodDescriptor.MethodType.UNARY);

    private Server server;

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type)
    {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setFullMethodName(name).setType(type).setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    @Override
    public String name()
    {
        return "grpc (grpc-java)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        Random replies = new Random(50051);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", PORT)).maxInboundMessageSize(8 << 20)
                .addService(ServerServiceDefinition.builder("shop.orders.v1.Orders")
                        .addMethod(GET_ORDER, ServerCalls.asyncUnaryCall((request, response) -> {
                            String id = new String(request, StandardCharsets.UTF_8);
                            if (id.endsWith("7")) {
                                response.onError(Status.NOT_FOUND.withDescription("no order " + id).asRuntimeException());
                                return;
                            }
                            synchronized (replies) {
                                response.onNext(Content.json(replies, Content.size(replies, 300, 24_000)).getBytes(StandardCharsets.UTF_8));
                            }
                            response.onCompleted();
                        })).build())
                .addService(ServerServiceDefinition.builder("shop.catalog.v1.Catalog")
                        .addMethod(LIST_PRODUCTS, ServerCalls.asyncServerStreamingCall((request, response) -> {
                            for (int page = 0; page < 20; page++) {
                                synchronized (replies) {
                                    response.onNext(Content.json(replies, Content.size(replies, 1_000, 8_000)).getBytes(StandardCharsets.UTF_8));
                                }
                            }
                            response.onCompleted();
                        })).build())
                .addService(ServerServiceDefinition.builder("shop.media.v1.Media")
                        .addMethod(UPLOAD, ServerCalls.asyncUnaryCall((request, response) -> {
                            response.onNext(("{\"stored\":" + request.length + "}").getBytes(StandardCharsets.UTF_8));
                            response.onCompleted();
                        })).build())
                .build().start();
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        Random random = new Random(7);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", PORT).usePlaintext().maxInboundMessageSize(8 << 20).build();
        try {
            for (int call = 0; call < Session.scaled(2_000, scale); call++) {
                int kind = random.nextInt(100);
                if (kind < 85) {
                    try {
                        ClientCalls.blockingUnaryCall(channel, GET_ORDER, CallOptions.DEFAULT, String.valueOf(100_000 + random.nextInt(900_000)).getBytes(StandardCharsets.UTF_8));
                    }
                    catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                            throw e;
                        }
                    }
                }
                else if (kind < 95) {
                    Iterator<byte[]> pages = ClientCalls.blockingServerStreamingCall(channel, LIST_PRODUCTS, CallOptions.DEFAULT, "category=kitchen".getBytes(StandardCharsets.UTF_8));
                    pages.forEachRemaining(page -> {});
                }
                else {
                    ClientCalls.blockingUnaryCall(channel, UPLOAD, CallOptions.DEFAULT, Content.binary(random, Content.size(random, 50_000, 500_000)));
                }
            }
        }
        finally {
            channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close()
            throws Exception
    {
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
