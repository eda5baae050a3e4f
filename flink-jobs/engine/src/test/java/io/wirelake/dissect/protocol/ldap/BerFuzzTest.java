package io.wirelake.dissect.protocol.ldap;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** BER as LDAP uses it (Jazzer): any bytes parse as an LDAPMessage, whole or cut, or are refused with a BerException. */
class BerFuzzTest
{
    @FuzzTest(maxDuration = "10s")
    void ldapMessages(byte[] input)
    {
        try {
            LdapMessage.parse(input, 0, input.length);
        }
        catch (Ber.BerException e) {
            // malformed: the dissector's ldap.malformed_message
        }
        try {
            // the same bytes as the kept head of a longer message
            LdapMessage.parse(input, 0, input.length, input.length + 100_000L);
        }
        catch (Ber.BerException e) {
            // malformed
        }
    }
}
