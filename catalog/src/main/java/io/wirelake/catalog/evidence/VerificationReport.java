package io.wirelake.catalog.evidence;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Everything verification found about one snapshot (in a store or a bundle). */
public record VerificationReport(String snapshot, String manifestSha256, List<Finding> findings)
{
    public VerificationReport
    {
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(manifestSha256, "manifestSha256 is null");
        findings = List.copyOf(findings);
    }

    public boolean ok()
    {
        return failures().isEmpty();
    }

    public List<Finding> failures()
    {
        return findings.stream().filter(finding -> finding.severity() == Finding.Severity.FAILED).toList();
    }
}
