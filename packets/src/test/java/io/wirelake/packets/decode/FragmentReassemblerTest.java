package io.wirelake.packets.decode;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fragment floods stay within the reassembler's limits, each loss counted by its reason, and
 * whole datagrams still come out right whatever order their pieces arrive in.
 */
class FragmentReassemblerTest
{
    private static final int UDP = 17;

    @Test
    void piecesInAnyOrderMakeTheDatagram()
    {
        byte[] payload = new byte[4000];
        new Random(7).nextBytes(payload);
        int[] order = {2, 0, 4, 1, 3};
        FragmentReassembler reassembler = new FragmentReassembler();
        FragmentReassembler.Datagram whole = null;
        for (int index : order) {
            int offset = index * 800;
            whole = reassembler.add(4, 0, 1, 0, 2, 99, UDP, offset, index < 4, payload, offset, 800, 1_000);
            if (index != order[order.length - 1]) {
                assertThat(whole).isNull();
            }
        }
        assertThat(whole).isNotNull();
        assertThat(whole.data()).isEqualTo(payload);
        assertThat(reassembler.reassembled()).isEqualTo(1);
        assertThat(reassembler.heldBytes()).isZero();
    }

    @Test
    void aRepeatedPieceReplacesRatherThanAdds()
    {
        FragmentReassembler reassembler = new FragmentReassembler();
        byte[] piece = new byte[1480];
        for (int copy = 0; copy < 1_000_000; copy++) {
            assertThat(reassembler.add(4, 0, 1, 0, 2, 7, UDP, 0, true, piece, 0, piece.length, 1_000)).isNull();
        }
        assertThat(reassembler.heldBytes()).isEqualTo(1480);
        assertThat(reassembler.add(4, 0, 1, 0, 2, 7, UDP, 1480, false, piece, 0, 20, 1_000)).isNotNull();
    }

    @Test
    void tooManyPiecesGiveTheDatagramUp()
    {
        FragmentReassembler reassembler = new FragmentReassembler();
        byte[] piece = new byte[8];
        for (int index = 0; index <= FragmentReassembler.MAX_PIECES; index++) {
            reassembler.add(4, 0, 1, 0, 2, 7, UDP, index * 16, true, piece, 0, 8, 1_000);
        }
        assertThat(reassembler.dropped(FragmentReassembler.Drop.TOO_MANY_PIECES)).isEqualTo(1);
        assertThat(reassembler.pending()).isZero();
        assertThat(reassembler.heldBytes()).isZero();
    }

    @Test
    void aFloodOfDatagramsKeepsTheNewestWithinTheLimits()
    {
        FragmentReassembler reassembler = new FragmentReassembler();
        byte[] piece = new byte[60_000];
        int datagrams = 100_000;
        for (int identification = 0; identification < datagrams; identification++) {
            // each a first piece whose rest never comes
            reassembler.add(4, 0, identification, 0, 2, identification & 0xFFFF, UDP, 0, true, piece, 0, piece.length, 1_000);
            assertThat(reassembler.heldBytes()).isLessThanOrEqualTo(FragmentReassembler.MAX_HELD_BYTES);
            assertThat(reassembler.pending()).isLessThanOrEqualTo(FragmentReassembler.MAX_PENDING);
        }
        long evicted = reassembler.dropped(FragmentReassembler.Drop.EVICTED);
        assertThat(evicted).isEqualTo(datagrams - reassembler.pending());
        assertThat(reassembler.incomplete()).isEqualTo(datagrams);
        // the newest still completes
        int last = datagrams - 1;
        assertThat(reassembler.add(4, 0, last, 0, 2, last & 0xFFFF, UDP, 60_000, false, piece, 0, 8, 1_000)).isNotNull();
    }

    @Test
    void aPieceBeyondTheLargestDatagramIsCounted()
    {
        FragmentReassembler reassembler = new FragmentReassembler();
        byte[] piece = new byte[1000];
        reassembler.add(6, 0, 1, 0, 2, 5, UDP, 0, true, piece, 0, 1000, 1_000);
        reassembler.add(6, 0, 1, 0, 2, 5, UDP, 65_000, false, piece, 0, 1000, 1_000);
        assertThat(reassembler.dropped(FragmentReassembler.Drop.TOO_LARGE)).isEqualTo(1);
        assertThat(reassembler.pending()).isZero();
    }

    @Test
    void datagramsNotWholeInTimeAreGivenUp()
    {
        FragmentReassembler reassembler = new FragmentReassembler();
        byte[] piece = new byte[100];
        reassembler.add(4, 0, 1, 0, 2, 5, UDP, 0, true, piece, 0, 100, 1_000);
        reassembler.add(4, 0, 1, 0, 2, 6, UDP, 0, true, piece, 0, 100, 1_000 + FragmentReassembler.TIMEOUT_MICROS + 1);
        assertThat(reassembler.dropped(FragmentReassembler.Drop.INCOMPLETE)).isEqualTo(2);
        assertThat(reassembler.pending()).isEqualTo(1);
    }
}
