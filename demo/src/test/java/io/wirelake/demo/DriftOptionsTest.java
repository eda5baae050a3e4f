package io.wirelake.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftOptionsTest
{
    @Test
    void aSizeBecomesSessionsInAWindowOfAMinuteOrMore()
    {
        DriftOptions small = DriftOptions.ofSize(1 << 20, 42);
        assertThat(small.sessions()).isEqualTo(DriftOptions.MINIMUM_SESSIONS);
        assertThat(small.window()).isEqualTo(Duration.ofMinutes(1));
        DriftOptions standard = DriftOptions.ofSize(16L << 20, 42);
        assertThat(standard.sessions()).isEqualTo((int) ((16L << 20) / DriftOptions.BYTES_PER_SESSION));
        assertThat(standard.window()).isEqualTo(Duration.ofMinutes(1));
        DriftOptions large = DriftOptions.ofSize(1L << 30, 42);
        assertThat(large.window()).isEqualTo(Duration.ofSeconds((large.sessions() + 99) / 100));
        assertThat(large.start(DriftScenario.Day.INCIDENT)).isEqualTo(Instant.parse("2026-03-15T22:00:00Z"));
    }

    @Test
    void tooFewOrTooDenseSessionsAreRefused()
    {
        assertThatThrownBy(() -> new DriftOptions(1, 499, Duration.ofMinutes(1), DriftOptions.DEFAULT_START, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 500 sessions");
        assertThatThrownBy(() -> new DriftOptions(1, 6_001, Duration.ofMinutes(1), DriftOptions.DEFAULT_START, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window of 61 s");
    }
}
