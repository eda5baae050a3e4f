package io.wirelake.dissect.flow;

/**
 * The flows of a table in the order they were last seen, in two queues: half-open TCP
 * connections (no handshake completed, no payload: what a SYN flood makes) and the rest. Each
 * packet moves its flow to the back of its queue, in one step; the front of a queue is the flow
 * idle longest. This is what the flow budget evicts from: half-open flows first.
 */
final class FlowAges
{
    /** An intrusive doubly linked queue through {@link Flow#older} and {@link Flow#newer}. */
    private static final class Queue
    {
        Flow oldest;
        Flow newest;

        void append(Flow flow)
        {
            flow.older = newest;
            flow.newer = null;
            if (newest != null) {
                newest.newer = flow;
            }
            else {
                oldest = flow;
            }
            newest = flow;
        }

        void unlink(Flow flow)
        {
            if (flow.older != null) {
                flow.older.newer = flow.newer;
            }
            else {
                oldest = flow.newer;
            }
            if (flow.newer != null) {
                flow.newer.older = flow.older;
            }
            else {
                newest = flow.older;
            }
            flow.older = null;
            flow.newer = null;
        }
    }

    private final Queue halfOpen = new Queue();
    private final Queue settled = new Queue();

    /** The flow was just seen: to the back of the queue it now belongs to. */
    void touch(Flow flow)
    {
        boolean half = flow.halfOpen();
        Queue now = half ? halfOpen : settled;
        if (flow.queued != null) {
            if (flow.queued == half && now.newest == flow) {
                return;
            }
            queue(flow).unlink(flow);
        }
        now.append(flow);
        flow.queued = half;
    }

    void remove(Flow flow)
    {
        if (flow.queued != null) {
            queue(flow).unlink(flow);
            flow.queued = null;
        }
    }

    /** The flow to end when the table is full: the half-open flow idle longest, else the flow idle longest; null when empty. */
    Flow eldest()
    {
        return halfOpen.oldest != null ? halfOpen.oldest : settled.oldest;
    }

    private Queue queue(Flow flow)
    {
        return flow.queued ? halfOpen : settled;
    }
}
