package io.wirelake.demo;

/** One captured frame of the demo traffic. */
record Frame(long timestampMicros, byte[] bytes) {}
