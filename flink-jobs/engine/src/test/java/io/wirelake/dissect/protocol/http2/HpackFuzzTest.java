package io.wirelake.dissect.protocol.http2;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** HPACK (Jazzer): any sequence of header blocks is decoded or refused with an HpackException, nothing else. */
class HpackFuzzTest
{
    @FuzzTest(maxDuration = "10s")
    void headerBlocks(FuzzedDataProvider data)
    {
        Hpack hpack = new Hpack();
        hpack.midstream(data.consumeBoolean());
        while (data.remainingBytes() > 0) {
            byte[] block = data.consumeBytes(data.consumeInt(0, 8192));
            try {
                hpack.decode(block, 0, block.length);
            }
            catch (Hpack.HpackException e) {
                // a block that breaks the rules: the table is lost, later blocks are refused
            }
        }
    }
}
