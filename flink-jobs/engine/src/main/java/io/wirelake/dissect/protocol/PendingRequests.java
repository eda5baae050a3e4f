package io.wirelake.dissect.protocol;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Requests waiting for their responses, by the identifier the protocol pairs them with (a DNS id,
 * a RADIUS identifier, a Diameter hop-by-hop id). A request that reuses a waiting identifier (a
 * retry) ends the earlier one unanswered; past {@code limit} the oldest ends unanswered; at the
 * end of the flow all that wait end unanswered. Unanswered requests go to the consumer, so none
 * is lost.
 */
public final class PendingRequests<K, V>
{
    private final Map<K, V> waiting = new LinkedHashMap<>();
    private final int limit;
    private final Consumer<V> unanswered;

    public PendingRequests(int limit, Consumer<V> unanswered)
    {
        this.limit = limit;
        this.unanswered = requireNonNull(unanswered, "unanswered is null");
    }

    public void add(K key, V request)
    {
        V previous = waiting.put(key, request);
        if (previous != null) {
            unanswered.accept(previous);
        }
        if (waiting.size() > limit) {
            Iterator<V> oldest = waiting.values().iterator();
            V dropped = oldest.next();
            oldest.remove();
            unanswered.accept(dropped);
        }
    }

    /** The request a partial response (a search entry) belongs to, left waiting; or null. */
    public V peek(K key)
    {
        return waiting.get(key);
    }

    /** The request the response answers, or null. */
    public V take(K key)
    {
        return waiting.remove(key);
    }

    /** The flow ended: everything still waiting is unanswered. */
    public void flush()
    {
        for (Iterator<V> requests = waiting.values().iterator(); requests.hasNext(); ) {
            V request = requests.next();
            requests.remove();
            unanswered.accept(request);
        }
    }
}
