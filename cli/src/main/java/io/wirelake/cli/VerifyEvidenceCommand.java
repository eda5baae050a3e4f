package io.wirelake.cli;

import io.wirelake.catalog.evidence.BundleVerifier;
import io.wirelake.catalog.evidence.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake verify-evidence BUNDLE.tar}: everything in an evidence bundle checked, with no store. */
@Command(name = "verify-evidence", mixinStandardHelpOptions = true,
        description = {"Verify an evidence bundle on its own: every file against SHA256SUMS, every object against the signed manifest,",
                "the Ed25519 signature and key, the chain link, the RFC 3161 token and the custody log. Exit 4 names each failure."})
final class VerifyEvidenceCommand
        implements Callable<Integer>
{
    @Parameters(paramLabel = "BUNDLE.tar")
    Path bundle;

    @Option(names = "--tsa-ca", paramLabel = "PEM", description = "The CA your TSA publishes (default: the bundle's tsa-ca.pem, noted as such).")
    Path tsaCa;

    @Option(names = "--trusted-key", paramLabel = "FINGERPRINT", description = "A seal key fingerprint to accept (repeatable); others fail.")
    List<String> trustedKeys;

    @Override
    public Integer call()
            throws Exception
    {
        VerificationReport report = BundleVerifier.verify(bundle, new BundleVerifier.Options(Optional.ofNullable(tsaCa), trustedKeys == null ? List.of() : trustedKeys));
        return EvidenceCommands.printVerification(System.out, "evidence bundle " + bundle + " of snapshot " + report.snapshot(), report);
    }
}
