package io.wirelake.dissect.protocol.dns;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A parsed DNS message (RFC 1035 section 4.1).
 *
 * @param answers answer-section data as text (addresses, names, ...)
 * @param answerAddresses for A/AAAA answers, the addresses (to learn IP-to-name resolutions)
 * @param complete whether every section parsed; a truncated or damaged message keeps what parsed
 */
public record DnsMessage(int id, boolean response, int opcode, int rcode, boolean truncated, List<String> questions, List<String> questionTypes,
        List<String> answers, List<String> answerAddresses, int length, boolean complete)
{
    public DnsMessage
    {
        questions = List.copyOf(requireNonNull(questions, "questions is null"));
        questionTypes = List.copyOf(requireNonNull(questionTypes, "questionTypes is null"));
        answers = List.copyOf(requireNonNull(answers, "answers is null"));
        answerAddresses = List.copyOf(requireNonNull(answerAddresses, "answerAddresses is null"));
    }

    public static String rcodeName(int rcode)
    {
        return switch (rcode) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSET";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            default -> "RCODE" + rcode;
        };
    }

    public static String typeName(int type)
    {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 13 -> "HINFO";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 35 -> "NAPTR";
            case 39 -> "DNAME";
            case 41 -> "OPT";
            case 43 -> "DS";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 251 -> "IXFR";
            case 252 -> "AXFR";
            case 255 -> "ANY";
            case 257 -> "CAA";
            default -> "TYPE" + type;
        };
    }
}
