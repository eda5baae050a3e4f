package io.wirelake.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayoutTest
{
    @Test
    void segmentKeysRoundTrip()
    {
        // 2026-11-26T08:33:57.123456Z
        long micros = 1_795_682_037_123_456L;
        Layout.Segment segment = Layout.segment(Layout.Kind.RAW, "node-a", micros, 3);
        assertThat(segment.key()).isEqualTo("raw/node-a/2026/11/26/08/1795682037123456-3.pcap");
        assertThat(Layout.parse(segment.key())).contains(segment);
        assertThat(Layout.parse("snapshots/s1/" + segment.key())).contains(segment);
        Layout.Segment meta = Layout.segment(Layout.Kind.META, "node-a", micros, 0);
        assertThat(meta.key()).isEqualTo("meta/node-a/2026/11/26/08/1795682037123456-0.jsonl");
        assertThat(Layout.parse("raw/node-a/notes.txt")).isEmpty();
    }

    @Test
    void namesAreChecked()
    {
        assertThatThrownBy(() -> Layout.segment(Layout.Kind.RAW, "a/b", 0, 0)).hasMessageContaining("invalid node name 'a/b'");
        assertThatThrownBy(() -> Layout.snapshotPrefix("x' OR 1=1")).hasMessageContaining("invalid snapshot name");
        assertThat(Layout.tablePartition("flows", "daily-2026.11.26")).isEqualTo("tables/flows/snapshot_id=daily-2026.11.26/");
    }
}
