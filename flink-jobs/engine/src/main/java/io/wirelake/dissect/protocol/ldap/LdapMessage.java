package io.wirelake.dissect.protocol.ldap;

/**
 * One LDAPMessage (RFC 4511 section 4.2): its messageID, operation, and what the rows use: the DN
 * an operation is about, a bind's mechanism (simple, or the SASL mechanism's name), a search's
 * scope, an extended operation's OID, and a result's code and diagnostic message.
 */
final class LdapMessage
{
    long messageId;
    int operation;
    String dn = "";
    String detail = "";
    String mechanism = "";
    int resultCode = -1;
    String diagnostic = "";
    long length;

    static final int BIND_REQUEST = 0;
    static final int BIND_RESPONSE = 1;
    static final int UNBIND_REQUEST = 2;
    static final int SEARCH_REQUEST = 3;
    static final int SEARCH_RESULT_ENTRY = 4;
    static final int SEARCH_RESULT_DONE = 5;
    static final int SEARCH_RESULT_REFERENCE = 19;
    static final int ABANDON_REQUEST = 16;
    static final int EXTENDED_REQUEST = 23;
    static final int EXTENDED_RESPONSE = 24;
    static final int INTERMEDIATE_RESPONSE = 25;

    boolean isRequest()
    {
        return switch (operation) {
            case 0, 2, 3, 6, 8, 10, 12, 14, 16, 23 -> true;
            default -> false;
        };
    }

    /** Operation names, bare, as Zeek's ldap.log writes them (a response is named by its request's operation). */
    static String operationName(int operation)
    {
        return switch (operation) {
            case 0, 1 -> "bind";
            case 2 -> "unbind";
            case 3, 4, 5, 19 -> "search";
            case 6, 7 -> "modify";
            case 8, 9 -> "add";
            case 10, 11 -> "delete";
            case 12, 13 -> "modify DN";
            case 14, 15 -> "compare";
            case 16 -> "abandon";
            case 23, 24, 25 -> "extended";
            default -> "operation " + operation;
        };
    }

    /** RFC 4511 section 4.1.9 result names. */
    static String resultName(int code)
    {
        return switch (code) {
            case 0 -> "success";
            case 1 -> "operationsError";
            case 2 -> "protocolError";
            case 3 -> "timeLimitExceeded";
            case 4 -> "sizeLimitExceeded";
            case 5 -> "compareFalse";
            case 6 -> "compareTrue";
            case 7 -> "authMethodNotSupported";
            case 8 -> "strongerAuthRequired";
            case 10 -> "referral";
            case 11 -> "adminLimitExceeded";
            case 12 -> "unavailableCriticalExtension";
            case 13 -> "confidentialityRequired";
            case 14 -> "saslBindInProgress";
            case 16 -> "noSuchAttribute";
            case 17 -> "undefinedAttributeType";
            case 18 -> "inappropriateMatching";
            case 19 -> "constraintViolation";
            case 20 -> "attributeOrValueExists";
            case 21 -> "invalidAttributeSyntax";
            case 32 -> "noSuchObject";
            case 33 -> "aliasProblem";
            case 34 -> "invalidDNSyntax";
            case 36 -> "aliasDereferencingProblem";
            case 48 -> "inappropriateAuthentication";
            case 49 -> "invalidCredentials";
            case 50 -> "insufficientAccessRights";
            case 51 -> "busy";
            case 52 -> "unavailable";
            case 53 -> "unwillingToPerform";
            case 54 -> "loopDetect";
            case 64 -> "namingViolation";
            case 65 -> "objectClassViolation";
            case 66 -> "notAllowedOnNonLeaf";
            case 67 -> "notAllowedOnRDN";
            case 68 -> "entryAlreadyExists";
            case 69 -> "objectClassModsProhibited";
            case 71 -> "affectsMultipleDSAs";
            case 80 -> "other";
            default -> "result " + code;
        };
    }

    /** Parses one LDAPMessage's contents (inside its SEQUENCE), whole. */
    static LdapMessage parse(byte[] data, int start, int end)
            throws Ber.BerException
    {
        return parse(data, start, end, end - start);
    }

    /**
     * Parses one LDAPMessage's contents of {@code length} bytes of which {@code [start, end)} were
     * kept: the fields the rows use come first, so a cut message still gives them.
     */
    static LdapMessage parse(byte[] data, int start, int end, long length)
            throws Ber.BerException
    {
        Ber message = new Ber(data, start, end, end - start < length);
        LdapMessage parsed = new LdapMessage();
        parsed.length = length;
        parsed.messageId = message.integer(message.next(0x02));
        Ber.Element op = message.next();
        if ((op.tag() & 0xC0) != 0x40) {
            throw new Ber.BerException("protocolOp is not an application tag");
        }
        parsed.operation = op.number();
        switch (parsed.operation) {
            case BIND_REQUEST -> {
                Ber bind = message.inside(op);
                bind.next(0x02);
                parsed.dn = bind.string(bind.next(0x04));
                Ber.Element authentication = bind.next();
                // AuthenticationChoice: simple [0], sasl [3] (its mechanism first); anything else is not in RFC 4511
                parsed.mechanism = authentication.tag() == 0x80 ? "simple" : authentication.tag() == 0xA3 ? saslMechanism(bind, authentication) : "other";
            }
            case SEARCH_REQUEST -> {
                Ber search = message.inside(op);
                parsed.dn = search.string(search.next(0x04));
                long scope = search.integer(search.next(0x0A));
                parsed.detail = "scope " + (scope == 0 ? "base" : scope == 1 ? "one" : scope == 2 ? "sub" : String.valueOf(scope));
            }
            case 6, 8, 14 -> {
                // ModifyRequest, AddRequest, CompareRequest: the entry's DN first
                Ber request = message.inside(op);
                parsed.dn = request.string(request.next(0x04));
            }
            case 10 -> parsed.dn = new String(data, op.start(), op.length(), java.nio.charset.StandardCharsets.UTF_8);
            case 12 -> {
                Ber request = message.inside(op);
                parsed.dn = request.string(request.next(0x04));
                parsed.detail = "to " + request.string(request.next(0x04));
            }
            case EXTENDED_REQUEST -> {
                Ber request = message.inside(op);
                Ber.Element name = request.next(0x80);
                parsed.detail = request.string(name);
                parsed.dn = "";
            }
            case BIND_RESPONSE, SEARCH_RESULT_DONE, 7, 9, 11, 13, 15, EXTENDED_RESPONSE -> {
                Ber result = message.inside(op);
                parsed.resultCode = (int) result.integer(result.next(0x0A));
                parsed.dn = result.string(result.next(0x04));
                parsed.diagnostic = result.string(result.next(0x04));
            }
            case SEARCH_RESULT_ENTRY -> {
                Ber entry = message.inside(op);
                parsed.dn = entry.string(entry.next(0x04));
            }
            default -> {
                // UnbindRequest, AbandonRequest, references, intermediate responses: nothing more the rows use
            }
        }
        return parsed;
    }

    private static String saslMechanism(Ber message, Ber.Element credentials)
            throws Ber.BerException
    {
        Ber sasl = message.inside(credentials);
        return sasl.string(sasl.next(0x04));
    }

    /** Well-known extended operations by OID. */
    static String extendedName(String oid)
    {
        return switch (oid) {
            case "1.3.6.1.4.1.4203.1.11.3" -> oid + " (whoami)";
            case "1.3.6.1.4.1.1466.20037" -> oid + " (StartTLS)";
            case "1.3.6.1.4.1.4203.1.11.1" -> oid + " (passwd modify)";
            case "1.3.6.1.1.8" -> oid + " (cancel)";
            default -> oid;
        };
    }
}
