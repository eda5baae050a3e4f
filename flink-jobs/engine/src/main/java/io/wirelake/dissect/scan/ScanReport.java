package io.wirelake.dissect.scan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scan saw, as named counters plus the damage found in files. Counter names are stable:
 * {@code packets}, {@code bytes}, {@code flows.TCP}, {@code rows.HTTP}, {@code anomaly.<name>},
 * {@code skipped.<reason>}. Reports of parallel scans merge by adding counters.
 */
public final class ScanReport
        implements Serializable
{
    private final TreeMap<String, Long> counters = new TreeMap<>();
    private final List<String> damage = new ArrayList<>();

    public void add(String counter, long amount)
    {
        if (amount != 0) {
            counters.merge(counter, amount, Long::sum);
        }
    }

    public void increment(String counter)
    {
        counters.merge(counter, 1L, Long::sum);
    }

    public long get(String counter)
    {
        return counters.getOrDefault(counter, 0L);
    }

    public void damage(String message)
    {
        damage.add(message);
        increment("skipped.damaged_files");
    }

    /** A damage message whose counter was already counted (merging reports of tasks). */
    public void damageMessage(String message)
    {
        damage.add(message);
    }

    public Map<String, Long> counters()
    {
        return Collections.unmodifiableMap(counters);
    }

    public List<String> damageMessages()
    {
        return Collections.unmodifiableList(damage);
    }

    /** Counters whose names start with the prefix, with the prefix removed. */
    public Map<String, Long> withPrefix(String prefix)
    {
        Map<String, Long> selected = new TreeMap<>();
        counters.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                selected.put(name.substring(prefix.length()), value);
            }
        });
        return selected;
    }

    public void merge(ScanReport other)
    {
        other.counters.forEach(this::add);
        damage.addAll(other.damage);
    }
}
