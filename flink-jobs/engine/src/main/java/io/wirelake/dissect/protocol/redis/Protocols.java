package io.wirelake.dissect.protocol.redis;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.protocol.Protocol;

final class Protocols
{
    static final Protocol REDIS = new Protocol("Redis", Columns.REDIS);

    private Protocols() {}
}
