package io.wirelake.dissect.flow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The command word of an unclaimed flow's first client payload, and what is not one. */
class TextCommandTest
{
    @Test
    void commandWords()
    {
        assertThat(command("EHLO client.example\r\n")).isEqualTo("EHLO");
        assertThat(command("QUIT\r\n")).isEqualTo("QUIT");
        assertThat(command("get user:42\r\n")).isEqualTo("get");
        assertThat(command("STAT")).isEqualTo("STAT");
        assertThat(command("x-custom.op\targ")).isEqualTo("x-custom.op");
        assertThat(command("A".repeat(TransportProtocols.MAX_COMMAND) + " ")).hasSize(TransportProtocols.MAX_COMMAND);
    }

    @Test
    void notCommandWords()
    {
        assertThat(command("A".repeat(TransportProtocols.MAX_COMMAND + 1) + " ")).isEmpty();
        assertThat(command("220 ready\r\n")).isEmpty();
        assertThat(command("{\"json\":1}")).isEmpty();
        assertThat(command("GET\u0000binary")).isEmpty();
        assertThat(TransportProtocolsAccess.textCommand(new byte[] {(byte) 0xC1, 'A', ' '})).isEmpty();
        assertThat(TransportProtocolsAccess.textCommand(new byte[0])).isEmpty();
        assertThat(TransportProtocolsAccess.textCommand(null)).isEmpty();
    }

    private static String command(String payload)
    {
        return TransportProtocolsAccess.textCommand(payload.getBytes(StandardCharsets.ISO_8859_1));
    }
}
