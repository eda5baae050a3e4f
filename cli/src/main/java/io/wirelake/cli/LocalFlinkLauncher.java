package io.wirelake.cli;

import io.wirelake.dissect.job.DissectionJob;
import io.wirelake.dissect.job.FileSystems;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.S3Settings;
import io.wirelake.store.dissection.DissectionSpec;
import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Runs a dissection spec as the Flink job on a local MiniCluster in this JVM, reading and writing
 * the store in place (a local directory; {@code s3://} through Flink's S3 file-system plugin when
 * its directory is present, else the catalog stages the snapshot through a local directory).
 */
final class LocalFlinkLauncher
        implements FlinkLauncher
{
    private final DissectionSettings settings;
    private final Path temporaryDirectory;
    private final Configuration flink;
    private final LongConsumer progress;
    private final Redaction redaction;
    private ScanReport report;
    private long wallMillis;

    /**
     * @param flinkSettings extra Flink settings, over those derived from the environment
     *        ({@code s3.endpoint}, {@code s3.path.style.access}, {@code s3.endpoint.region} from WIRELAKE_S3_*)
     * @param redaction the rules and the store's key (docs/REDACTION.md)
     * @param progress capture bytes read so far
     */
    LocalFlinkLauncher(DissectionSettings settings, Redaction redaction, Path temporaryDirectory, Map<String, String> flinkSettings, LongConsumer progress)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.redaction = requireNonNull(redaction, "redaction is null");
        this.temporaryDirectory = requireNonNull(temporaryDirectory, "temporaryDirectory is null");
        this.flink = flinkConfiguration(requireNonNull(flinkSettings, "flinkSettings is null"));
        this.progress = requireNonNull(progress, "progress is null");
    }

    @Override
    public boolean readsInPlace(ObjectStore store)
    {
        return store instanceof LocalObjectStore || FileSystems.pluginsDirectory().isPresent();
    }

    @Override
    public DissectionSpec shape(DissectionSpec spec)
    {
        return settings.apply(spec);
    }

    @Override
    public Report dissect(DissectionSpec spec)
            throws Exception
    {
        FileSystems.initialize(flink);
        DissectionJob.Result result = DissectionJob.runLocally(spec, redaction, temporaryDirectory.toString(), progress::accept, flink);
        report = result.report();
        wallMillis = result.wallMillis();
        return new Report(result.report().counters(), result.report().damageMessages(), spec.protocols());
    }

    @Override
    public String description()
    {
        return "a local Flink MiniCluster";
    }

    @Override
    public ScanReport report()
    {
        return report;
    }

    @Override
    public long wallMillis()
    {
        return wallMillis;
    }

    @Override
    public boolean measuresCpuInProcess()
    {
        return true;
    }

    /** Flink's view of S3, from the same environment as the store's (credentials stay in the AWS chain). */
    static Configuration flinkConfiguration(Map<String, String> overrides)
    {
        Map<String, String> settings = new LinkedHashMap<>();
        S3Settings s3 = S3Settings.fromEnvironment(System.getenv());
        s3.endpoint().ifPresent(endpoint -> settings.put("s3.endpoint", endpoint));
        settings.put("s3.endpoint.region", s3.region());
        settings.put("s3.path.style.access", String.valueOf(s3.pathStyle()));
        settings.putAll(overrides);
        return Configuration.fromMap(settings);
    }
}
