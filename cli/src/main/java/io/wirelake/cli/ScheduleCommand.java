package io.wirelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.schedule.Schedule;
import io.wirelake.catalog.schedule.StoreLock;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.query.QueryService;
import io.wirelake.query.report.Drift;
import io.wirelake.query.report.DriftFormat;
import io.wirelake.query.report.DriftReport;
import io.wirelake.query.report.DriftThresholds;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake schedule run}: snapshots taken on a schedule, dissected, and diffed with the previous one. */
@Command(name = "schedule", mixinStandardHelpOptions = true, description = "Scheduled snapshots with drift reports.",
        subcommands = {ScheduleCommand.Run.class})
final class ScheduleCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Take the snapshot of the last window when it is due (named PREFIX-DATE, e.g. daily-2026-12-02 for the day it covers), dissect it,",
                    "and write the drift report against the previous one. Missed runs are caught up; schedulers sharing a store take turns",
                    "(a lock object in the store) and never make one snapshot twice. Without --once it keeps running, waking at each run time."})
    static final class Run
            implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--every", defaultValue = "24h", paramLabel = "DURATION", description = "Time between runs (default: ${DEFAULT-VALUE}).")
        String every;

        @Option(names = "--window", defaultValue = "24h", paramLabel = "DURATION", description = "What a run freezes: the window before it (default: ${DEFAULT-VALUE}).")
        String window;

        @Option(names = "--at", defaultValue = "00:05", paramLabel = "HH:MM", description = "Time of day runs are anchored at (default: ${DEFAULT-VALUE}).")
        String at;

        @Option(names = "--time-zone", defaultValue = "UTC", paramLabel = "ZONE", description = "Zone of --at and of the names' dates (default: ${DEFAULT-VALUE}).")
        String zone;

        @Option(names = "--prefix", defaultValue = "daily", paramLabel = "PREFIX", description = "Names are PREFIX-DATE (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--once", description = "Make the runs that are due, then exit (what a CronJob runs).")
        boolean once;

        @Option(names = "--catch-up", defaultValue = "7", paramLabel = "N", description = "Missed runs made up at most, newest first (default: ${DEFAULT-VALUE}).")
        int catchUp;

        @Option(names = "--diff-with", defaultValue = "previous", paramLabel = "previous|none",
                description = "Compare each new snapshot with the previous one of the schedule (default), or not at all.")
        String diffWith;

        @Option(names = "--report-dir", paramLabel = "DIR", description = "Write each drift report there as Markdown, HTML and JSON.")
        Path reportDirectory;

        @Option(names = "--no-dissect", description = "Only freeze the windows.")
        boolean noDissect;

        @CommandLine.Mixin
        FlinkOptions flink;

        @Option(names = "--lock-lease", defaultValue = "6h", paramLabel = "DURATION",
                description = "How long the schedule's lock holds if its holder dies (default: ${DEFAULT-VALUE}).")
        String lease;

        @Option(names = "--class", paramLabel = "CLASS",
                description = "Retention class applied to each new snapshot (the store's settings; 'snapshot classes' lists them), e.g. daily.")
        String retentionClass;

        @Option(names = "--now", paramLabel = "TIME", description = "Act as if it were TIME (ISO-8601): backfills and tests.")
        String now;

        @Override
        public Integer call()
                throws Exception
        {
            Schedule schedule = new Schedule(Times.duration("--every", every), Times.duration("--window", window), LocalTime.parse(at), ZoneId.of(zone), prefix);
            if (!List.of("previous", "none").contains(diffWith)) {
                throw new IllegalArgumentException("--diff-with is previous or none");
            }
            if (catchUp < 1) {
                throw new IllegalArgumentException("--catch-up is 1 or more");
            }
            Duration leaseTime = Times.duration("--lock-lease", lease);
            try (ObjectStore store = Wirelake.openStore(spec)) {
                Snapshots snapshots = new Snapshots(store);
                QueryService queries = Wirelake.queryService(spec);
                while (true) {
                    Instant clock = now != null ? Times.instant(Times.parse("--now", now).orElseThrow()) : Instant.now();
                    int status = runDue(schedule, snapshots, queries, clock, leaseTime, System.out);
                    if (once || now != null) {
                        return status;
                    }
                    Instant next = schedule.nextRunAfter(Instant.now());
                    System.out.printf("schedule %s: next run at %s%n", prefix, next);
                    Thread.sleep(Math.max(1000, Duration.between(Instant.now(), next).toMillis() + 1000));
                }
            }
        }

        private int runDue(Schedule schedule, Snapshots snapshots, QueryService queries, Instant clock, Duration leaseTime, PrintStream out)
                throws Exception
        {
            Optional<StoreLock> acquired = StoreLock.tryAcquire(snapshots.store(), "schedule-" + prefix, leaseTime, clock);
            if (acquired.isEmpty()) {
                Optional<StoreLock.Holder> holder = StoreLock.holder(snapshots.store(), "schedule-" + prefix);
                out.printf("schedule %s: another scheduler holds the lock (%s), nothing to do here%n", prefix,
                        holder.map(who -> who.host() + " pid " + who.pid() + ", until " + who.expires()).orElse("just released"));
                return 0;
            }
            try (StoreLock lock = acquired.get()) {
                List<String> made = scheduled(schedule, snapshots);
                Optional<Instant> lastMade = made.isEmpty() ? Optional.empty() : schedule.endOf(made.get(made.size() - 1));
                List<Schedule.Run> due = schedule.due(clock, lastMade, catchUp);
                if (due.isEmpty()) {
                    out.printf("schedule %s: nothing due at %s (last run %s)%n", prefix, clock, made.isEmpty() ? "none" : made.get(made.size() - 1));
                }
                for (Schedule.Run run : due) {
                    step(run, schedule, snapshots, queries, out);
                }
                return 0;
            }
        }

        private void step(Schedule.Run run, Schedule schedule, Snapshots snapshots, QueryService queries, PrintStream out)
                throws Exception
        {
            out.printf("== schedule %s: %s, window %s .. %s ==%n", prefix, run.name(), run.from(), run.to());
            if (snapshots.store().stat(io.wirelake.store.Layout.manifest(run.name())).isEmpty()) {
                try {
                    // [from, to): a packet on the boundary belongs to the next window.
                    // Sealed (signed, chained, timestamped when a TSA is set) like every snapshot, with the schedule's retention class.
                    Manifest manifest = EvidenceCommands.evidence(snapshots.store()).create(run.name(), Optional.of(Times.micros(run.from())),
                            Optional.of(Times.micros(run.to()) - 1), List.of(), Optional.ofNullable(retentionClass), line -> {});
                    out.printf("snapshot %s: %d capture segment(s) of %s, %s packets, %s%n", manifest.id(), manifest.captures().size(),
                            String.join(", ", manifest.nodes()), Sizes.count(manifest.packets()), Sizes.format(manifest.bytes()));
                }
                catch (SnapshotException e) {
                    out.printf("snapshot %s not made: %s%n", run.name(), e.getMessage());
                    return;
                }
            }
            else {
                out.printf("snapshot %s exists already%n", run.name());
            }
            if (noDissect) {
                return;
            }
            if (!snapshots.status(run.name()).state().equals(SnapshotStatus.DISSECTED)) {
                new SnapshotDissector(snapshots, queries).dissect(run.name(), flink.settings(), flink.cluster(), out, java.util.Map.of());
            }
            if (diffWith.equals("none")) {
                return;
            }
            Optional<String> previous = previousDissected(schedule, snapshots, run.name());
            if (previous.isEmpty()) {
                out.printf("no earlier dissected snapshot of schedule %s to compare %s with%n", prefix, run.name());
                return;
            }
            DriftReport report = Drift.compare(queries, snapshots.store(), previous.get(), run.name(), DriftThresholds.defaults(), Optional.empty());
            out.print(DriftFormat.markdown(report));
            if (reportDirectory != null) {
                Files.createDirectories(reportDirectory);
                String base = "drift-" + previous.get() + "-to-" + run.name();
                Files.writeString(reportDirectory.resolve(base + ".md"), DriftFormat.markdown(report), StandardCharsets.UTF_8);
                Files.writeString(reportDirectory.resolve(base + ".html"), DriftFormat.html(report), StandardCharsets.UTF_8);
                Files.writeString(reportDirectory.resolve(base + ".json"),
                        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(DriftFormat.json(report)) + "\n", StandardCharsets.UTF_8);
                out.printf("drift report: %s (.md, .json beside it)%n", reportDirectory.resolve(base + ".html"));
            }
        }

        /** The schedule's snapshots in the store, oldest first. */
        private static List<String> scheduled(Schedule schedule, Snapshots snapshots)
                throws Exception
        {
            return snapshots.list().stream().map(summary -> summary.manifest().id()).filter(id -> schedule.endOf(id).isPresent())
                    .sorted(Comparator.comparing(id -> schedule.endOf(id).orElseThrow())).toList();
        }

        private static Optional<String> previousDissected(Schedule schedule, Snapshots snapshots, String name)
                throws Exception
        {
            Instant end = schedule.endOf(name).orElseThrow();
            Optional<String> previous = Optional.empty();
            for (Snapshots.Summary summary : snapshots.list()) {
                String id = summary.manifest().id();
                Optional<Instant> otherEnd = schedule.endOf(id);
                if (otherEnd.isPresent() && otherEnd.get().isBefore(end) && summary.status().state().equals(SnapshotStatus.DISSECTED)
                        && (previous.isEmpty() || otherEnd.get().isAfter(schedule.endOf(previous.get()).orElseThrow()))) {
                    previous = Optional.of(id);
                }
            }
            return previous;
        }
    }
}
