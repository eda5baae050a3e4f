package io.wirelake.dissect.flow;

/**
 * ICMP and ICMPv6 type and code names, after IANA's "ICMP Type Numbers" and "ICMPv6 Parameters"
 * registries (RFC 792, 1191, 1812, 4443, 4861, 3810), written in lower case with hyphens.
 */
final class IcmpNames
{
    private IcmpNames() {}

    /** Error messages: they quote the datagram that caused them (RFC 792; RFC 4443 section 2.1: types below 128). */
    static boolean isError(boolean v6, int type)
    {
        return v6 ? type < 128 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    static String typeName(boolean v6, int type)
    {
        if (v6) {
            return switch (type) {
                case 1 -> "destination-unreachable";
                case 2 -> "packet-too-big";
                case 3 -> "time-exceeded";
                case 4 -> "parameter-problem";
                case 128 -> "echo-request";
                case 129 -> "echo-reply";
                case 130 -> "multicast-listener-query";
                case 131 -> "multicast-listener-report";
                case 132 -> "multicast-listener-done";
                case 133 -> "router-solicitation";
                case 134 -> "router-advertisement";
                case 135 -> "neighbor-solicitation";
                case 136 -> "neighbor-advertisement";
                case 137 -> "redirect";
                case 143 -> "multicast-listener-report-v2";
                default -> "type-" + type;
            };
        }
        return switch (type) {
            case 0 -> "echo-reply";
            case 3 -> "destination-unreachable";
            case 4 -> "source-quench";
            case 5 -> "redirect";
            case 8 -> "echo-request";
            case 9 -> "router-advertisement";
            case 10 -> "router-solicitation";
            case 11 -> "time-exceeded";
            case 12 -> "parameter-problem";
            case 13 -> "timestamp";
            case 14 -> "timestamp-reply";
            case 15 -> "information-request";
            case 16 -> "information-reply";
            case 17 -> "address-mask-request";
            case 18 -> "address-mask-reply";
            case 42 -> "extended-echo-request";
            case 43 -> "extended-echo-reply";
            default -> "type-" + type;
        };
    }

    /** The code's name for the types whose codes have names; "" for the others; code-N for a code the registry does not name. */
    static String codeName(boolean v6, int type, int code)
    {
        String name = v6 ? v6CodeName(type, code) : v4CodeName(type, code);
        return name == null ? "" : name;
    }

    private static String v4CodeName(int type, int code)
    {
        return switch (type) {
            case 3 -> switch (code) {
                case 0 -> "net-unreachable";
                case 1 -> "host-unreachable";
                case 2 -> "protocol-unreachable";
                case 3 -> "port-unreachable";
                case 4 -> "fragmentation-needed";
                case 5 -> "source-route-failed";
                case 6 -> "destination-network-unknown";
                case 7 -> "destination-host-unknown";
                case 8 -> "source-host-isolated";
                case 9 -> "network-administratively-prohibited";
                case 10 -> "host-administratively-prohibited";
                case 11 -> "network-unreachable-for-tos";
                case 12 -> "host-unreachable-for-tos";
                case 13 -> "communication-administratively-prohibited";
                case 14 -> "host-precedence-violation";
                case 15 -> "precedence-cutoff-in-effect";
                default -> "code-" + code;
            };
            case 5 -> switch (code) {
                case 0 -> "redirect-for-network";
                case 1 -> "redirect-for-host";
                case 2 -> "redirect-for-tos-and-network";
                case 3 -> "redirect-for-tos-and-host";
                default -> "code-" + code;
            };
            case 11 -> switch (code) {
                case 0 -> "ttl-exceeded-in-transit";
                case 1 -> "fragment-reassembly-time-exceeded";
                default -> "code-" + code;
            };
            case 12 -> switch (code) {
                case 0 -> "pointer-indicates-the-error";
                case 1 -> "missing-a-required-option";
                case 2 -> "bad-length";
                default -> "code-" + code;
            };
            default -> null;
        };
    }

    private static String v6CodeName(int type, int code)
    {
        return switch (type) {
            case 1 -> switch (code) {
                case 0 -> "no-route-to-destination";
                case 1 -> "communication-administratively-prohibited";
                case 2 -> "beyond-scope-of-source-address";
                case 3 -> "address-unreachable";
                case 4 -> "port-unreachable";
                case 5 -> "source-address-failed-policy";
                case 6 -> "reject-route-to-destination";
                case 7 -> "error-in-source-routing-header";
                default -> "code-" + code;
            };
            case 3 -> switch (code) {
                case 0 -> "hop-limit-exceeded-in-transit";
                case 1 -> "fragment-reassembly-time-exceeded";
                default -> "code-" + code;
            };
            case 4 -> switch (code) {
                case 0 -> "erroneous-header-field";
                case 1 -> "unrecognized-next-header-type";
                case 2 -> "unrecognized-ipv6-option";
                default -> "code-" + code;
            };
            default -> null;
        };
    }
}
