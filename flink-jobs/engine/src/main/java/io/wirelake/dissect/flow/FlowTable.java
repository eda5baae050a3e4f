package io.wirelake.dissect.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Flows by endpoints, with a hash that is the same in both directions, so one lookup finds a
 * flow whichever way the packet goes. Chained buckets; lookups allocate nothing.
 */
final class FlowTable
{
    private Flow[] buckets = new Flow[1 << 12];
    private int size;
    /**
     * A seed of this run's own, so that which endpoints share a bucket cannot be known in advance:
     * a capture crafted to put every flow in one chain (quadratic look-ups) works for no run.
     */
    private final long seed = new java.security.SecureRandom().nextLong();

    int hash(int transport, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow, int destinationPort)
    {
        long source = mix((sourceHigh ^ seed) * 31 + sourceLow) + sourcePort;
        long destination = mix((destinationHigh ^ seed) * 31 + destinationLow) + destinationPort;
        long combined = mix((source + destination) ^ ((source ^ destination) * 0x9E3779B97F4A7C15L) + transport);
        return (int) (combined ^ (combined >>> 32));
    }

    private static long mix(long value)
    {
        value ^= value >>> 33;
        value *= 0xFF51AFD7ED558CCDL;
        value ^= value >>> 33;
        return value;
    }

    Flow find(int hash, int transport, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow, int destinationPort)
    {
        for (Flow flow = buckets[hash & (buckets.length - 1)]; flow != null; flow = flow.nextInBucket) {
            if (flow.hash == hash && flow.direction(transport, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort) != 0) {
                return flow;
            }
        }
        return null;
    }

    void add(Flow flow)
    {
        if (size >= buckets.length * 3 / 4) {
            grow();
        }
        int index = flow.hash & (buckets.length - 1);
        flow.nextInBucket = buckets[index];
        buckets[index] = flow;
        size++;
    }

    void remove(Flow flow)
    {
        int index = flow.hash & (buckets.length - 1);
        Flow previous = null;
        for (Flow current = buckets[index]; current != null; current = current.nextInBucket) {
            if (current == flow) {
                if (previous == null) {
                    buckets[index] = current.nextInBucket;
                }
                else {
                    previous.nextInBucket = current.nextInBucket;
                }
                current.nextInBucket = null;
                size--;
                return;
            }
            previous = current;
        }
    }

    /** Removes and returns the flows that match, in no particular order. */
    List<Flow> removeIf(Predicate<Flow> condition)
    {
        List<Flow> removed = new ArrayList<>();
        for (int index = 0; index < buckets.length; index++) {
            Flow previous = null;
            for (Flow current = buckets[index]; current != null; ) {
                Flow next = current.nextInBucket;
                if (condition.test(current)) {
                    if (previous == null) {
                        buckets[index] = next;
                    }
                    else {
                        previous.nextInBucket = next;
                    }
                    current.nextInBucket = null;
                    size--;
                    removed.add(current);
                }
                else {
                    previous = current;
                }
                current = next;
            }
        }
        return removed;
    }

    int size()
    {
        return size;
    }

    private void grow()
    {
        Flow[] old = buckets;
        buckets = new Flow[old.length * 2];
        for (Flow head : old) {
            for (Flow flow = head; flow != null; ) {
                Flow next = flow.nextInBucket;
                int index = flow.hash & (buckets.length - 1);
                flow.nextInBucket = buckets[index];
                buckets[index] = flow;
                flow = next;
            }
        }
    }
}
