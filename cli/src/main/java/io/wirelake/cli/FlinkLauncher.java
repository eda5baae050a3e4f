package io.wirelake.cli;

import io.wirelake.catalog.snapshot.DissectionLauncher;
import io.wirelake.dissect.scan.ScanReport;

/** A dissection launcher of the command line: the local MiniCluster ({@link LocalFlinkLauncher}) or a Flink cluster ({@link RemoteFlinkLauncher}). */
sealed interface FlinkLauncher
        extends DissectionLauncher
        permits LocalFlinkLauncher, RemoteFlinkLauncher
{
    /** Where the job runs, for the report: "a local Flink MiniCluster", "the Flink cluster at URL". */
    String description();

    /** The last job's full report (counters by name, damage), for the printed job report. */
    ScanReport report();

    long wallMillis();

    /** Whether the job's CPU time is this process's (a MiniCluster), so the report can show it. */
    boolean measuresCpuInProcess();
}
