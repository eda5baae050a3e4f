package io.wirelake.cli;

import io.wirelake.catalog.evidence.CustodyLog;
import io.wirelake.catalog.evidence.Evidence;
import io.wirelake.catalog.evidence.EvidenceBundle;
import io.wirelake.catalog.evidence.EvidenceSettings;
import io.wirelake.catalog.evidence.RetentionClass;
import io.wirelake.catalog.evidence.RetentionClasses;
import io.wirelake.catalog.evidence.RetentionRecord;
import io.wirelake.catalog.evidence.SealKey;
import io.wirelake.catalog.evidence.VerificationReport;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.lock.LockMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The evidence subcommands of {@code wirelake snapshot}: seal, archive, hold, evidence, custody,
 * key and classes. The work is the catalog's {@link Evidence}; these only parse and print.
 */
final class EvidenceCommands
{
    private EvidenceCommands() {}

    /** The store's snapshots as evidence, with the seal key, TSA and actor from the environment. */
    static Evidence evidence(ObjectStore store)
    {
        return new Evidence(store, EvidenceSettings.fromEnvironment(System.getenv()));
    }

    static void printSeal(PrintStream out, Evidence.SealReport report)
    {
        var chain = report.manifest().chain();
        out.printf("  sealed     manifest SHA-256 %s, key %s, chain #%d%s%n", report.sha256(), report.keyFingerprint(), chain.sequence(),
                chain.first() ? " (the store's first)" : " after " + chain.previousSnapshot());
        out.printf("  timestamp  %s%n", report.timestamp().map(time -> "RFC 3161 token, " + time).orElse("missing: " + report.timestampProblem().orElse("")));
    }

    static int printVerification(PrintStream out, String what, VerificationReport report)
    {
        if (report.ok()) {
            out.printf("%s verified: manifest SHA-256 %s%n", what, report.manifestSha256());
        }
        else {
            out.printf("%s FAILED verification: %d problem(s)%n", what, report.failures().size());
        }
        report.findings().forEach(finding -> out.println("  " + finding));
        return report.ok() ? 0 : 4;
    }

    @Command(name = "seal", mixinStandardHelpOptions = true,
            description = {"Seal a snapshot made before sealing (after verifying its objects), or add the RFC 3161 timestamp a sealed one lacks.",
                    "New snapshots are sealed when created; the TSA is WIRELAKE_TSA_URL."})
    static final class Seal
            extends SnapshotCommand.StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            Evidence.SealReport report = evidence(snapshots.store()).seal(name, key -> {});
            System.out.printf("snapshot %s%n", name);
            printSeal(System.out, report);
            return 0;
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true,
            description = {"Set a retention on every object of a snapshot: S3 Object Lock (the bucket must have it), or lock records the local store enforces.",
                    "Compliance mode can only be extended; governance mode can be shortened only with --bypass-governance, which the custody log records."})
    static final class Archive
            extends SnapshotCommand.StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--mode", required = true, paramLabel = "governance|compliance")
        String mode;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Until until;

        static final class Until
        {
            @Option(names = "--retain-until", paramLabel = "DATE", description = "Until this date (2027-06-30) or instant (2027-06-30T12:00:00Z).")
            String date;

            @Option(names = "--retain", paramLabel = "DURATION", description = "For this long from now: 365d, 12h, 52w.")
            String duration;
        }

        @Option(names = "--bypass-governance", description = "Shorten a governance retention (recorded in the custody log).")
        boolean bypassGovernance;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            Instant end = until.date != null ? parseDate(until.date) : Instant.now().plus(parseDuration(until.duration));
            RetentionRecord record = evidence(snapshots.store()).archive(name, LockMode.parse(mode), end, bypassGovernance, Optional.empty());
            System.out.printf("snapshot %s archived: %s, on every object in %s%n", name, record.describe(), snapshots.store().location());
            return 0;
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Put a snapshot under legal hold (no end date) or release it; every object is held.")
    static final class Hold
            extends SnapshotCommand.StoreCommand
    {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "on|off")
        String state;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            boolean on = switch (state.toLowerCase(Locale.ROOT)) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "legal hold is 'on' or 'off', not '" + state + "'");
            };
            RetentionRecord record = evidence(snapshots.store()).hold(name, on);
            System.out.printf("snapshot %s: legal hold %s (retention: %s)%n", name, on ? "set" : "released", record.describe());
            return 0;
        }
    }

    @Command(name = "evidence", mixinStandardHelpOptions = true,
            description = {"Write a sealed snapshot as a self-contained evidence bundle (tar): manifest, signature, public key, timestamp token,",
                    "custody log, captures (or their BPF-filtered export), dissected tables, SHA256SUMS and a README with the commands",
                    "that verify it with sha256sum and openssl alone."})
    static final class Bundle
            extends SnapshotCommand.StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--out", required = true, paramLabel = "FILE.tar")
        Path output;

        @Option(names = "--bpf", paramLabel = "EXPR", description = "Hand over only the packets matching this filter (libpcap syntax), as export.pcap.")
        String bpf;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            Terminal terminal = new Terminal(System.err);
            EvidenceBundle.Result result;
            try {
                result = new EvidenceBundle(evidence(snapshots.store())).write(name, output, Optional.ofNullable(bpf), line -> terminal.status(line));
            }
            finally {
                terminal.done();
            }
            System.out.printf("wrote %s: %d files, %s, SHA-256 %s%n", output, result.files(), Sizes.format(result.bytes()), result.sha256());
            System.out.printf("  %s%s%s%n", result.filtered() ? "BPF export '" + bpf + "' instead of the captures" : "the frozen captures",
                    result.tables() ? ", the dissected tables" : ", no tables (not dissected)", result.timestamped() ? ", RFC 3161 token" : ", no timestamp token");
            System.out.printf("  verify: tar -xf %s && cat %sREADME.txt, or wirelake verify-evidence %s%n", output, EvidenceBundle.directory(name), output);
            return 0;
        }
    }

    @Command(name = "custody", mixinStandardHelpOptions = true, description = "Print a snapshot's custody log: time, actor, action and details of each event.")
    static final class Custody
            extends SnapshotCommand.StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--raw", description = "The JSON lines as stored.")
        boolean raw;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            Evidence evidence = evidence(snapshots.store());
            byte[] log = evidence.custodyLog(name);
            if (raw) {
                System.out.print(new String(log, StandardCharsets.UTF_8));
                return 0;
            }
            CustodyLog.Reading reading = CustodyLog.read(log, evidence.state(name).manifestSha256());
            for (CustodyLog.Entry entry : reading.entries()) {
                System.out.printf("%-27s %-24s %-20s %s%n", entry.time(), entry.actor(), entry.action(), describe(entry.details()));
            }
            reading.problems().forEach(problem -> System.out.println("BROKEN " + problem));
            return reading.problems().isEmpty() ? 0 : 4;
        }

        private static String describe(Map<String, String> details)
        {
            StringBuilder text = new StringBuilder();
            details.forEach((key, value) -> text.append(text.isEmpty() ? "" : " ").append(key).append('=').append(value));
            return text.toString();
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = {"Show the seal key's fingerprint (publish it: verifiers compare it), or rotate the key.",
                    "Rotation deletes the old private key; its public key stays in the store's keys/, so old seals still verify."})
    static final class Key
            extends SnapshotCommand.StoreCommand
    {
        @Parameters(paramLabel = "show|rotate", defaultValue = "show")
        String action;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            EvidenceSettings settings = EvidenceSettings.fromEnvironment(System.getenv());
            SealKey key = switch (action) {
                case "show" -> SealKey.loadOrCreate(settings.keyFile());
                case "rotate" -> SealKey.rotate(settings.keyFile());
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "'show' or 'rotate', not '" + action + "'");
            };
            key.publish(snapshots.store());
            System.out.printf("seal key   %s (Ed25519)%n", settings.keyFile());
            System.out.printf("fingerprint %s%n", key.fingerprint());
            System.out.printf("published  %s%n", snapshots.store().uri(Layout.publicKey(key.fingerprint())));
            snapshots.store().list(Layout.KEYS).forEach(object -> System.out.printf("  in store: %s%n", object.key()));
            return 0;
        }
    }

    @Command(name = "classes", mixinStandardHelpOptions = true,
            description = {"List the store's retention classes (applied by 'snapshot create --class'), or add/replace one with --set NAME.",
                    "Defaults: daily 90 days governance, monthly 365 days compliance, incident legal hold."})
    static final class Classes
            extends SnapshotCommand.StoreCommand
    {
        @Option(names = "--set", paramLabel = "NAME")
        String set;

        @Option(names = "--mode", paramLabel = "governance|compliance")
        String mode;

        @Option(names = "--retain", paramLabel = "DURATION", description = "e.g. 90d, 52w.")
        String retain;

        @Option(names = "--hold", description = "Put snapshots of the class under legal hold.")
        boolean hold;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            if (set != null) {
                int days = retain == null ? 0 : (int) parseDuration(retain).toDays();
                RetentionClasses.put(snapshots.store(), new RetentionClass(set, mode, days, hold, description));
            }
            System.out.printf("%-12s %-34s %s%n", "CLASS", "POLICY", "DESCRIPTION");
            for (RetentionClass retentionClass : RetentionClasses.read(snapshots.store())) {
                System.out.printf("%-12s %-34s %s%n", retentionClass.name(), retentionClass.describe(), retentionClass.description());
            }
            return 0;
        }
    }

    static Instant parseDate(String text)
    {
        try {
            return text.length() <= 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        }
        catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--retain-until takes a date (2027-06-30) or an instant (2027-06-30T12:00:00Z), not '" + text + "'");
        }
    }

    static Duration parseDuration(String text)
    {
        var matcher = java.util.regex.Pattern.compile("(\\d+)([hdwy])").matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a retention is a number and a unit: 12h, 365d, 52w or 7y, not '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            case "w" -> Duration.ofDays(7 * amount);
            default -> Duration.ofDays(365 * amount);
        };
    }

    /** The status line of the seal, timestamp and retention, for {@code snapshot get}. */
    static void printState(PrintStream out, Evidence.State state)
    {
        if (!state.sealed()) {
            out.printf("seal       none (made before sealing; 'wirelake snapshot seal' seals it)%n");
        }
        else {
            out.printf("seal       chain #%d, manifest SHA-256 %s, key %s%n", state.sequence(), state.manifestSha256(), state.keyFingerprint());
            out.printf("timestamp  %s%n", state.timestamp().map(time -> "RFC 3161, " + time).orElse("none (no TSA was configured)"));
            out.printf("custody    %d entries ('wirelake snapshot custody' prints them)%n", state.custodyEntries());
        }
        out.printf("retention  %s%n", state.retention().describe());
    }
}
