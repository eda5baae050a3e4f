package io.wirelake.dissect.protocol;

/** A detector's verdict on the first bytes of a connection. */
public enum Detection
{
    MATCH,
    NO_MATCH,
    /** Not enough bytes yet to say. */
    NEED_MORE
}
