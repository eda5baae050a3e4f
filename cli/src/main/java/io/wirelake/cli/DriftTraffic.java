package io.wirelake.cli;

import io.wirelake.demo.DriftOptions;
import io.wirelake.demo.DriftScenario;
import io.wirelake.demo.DriftTrafficGenerator;
import io.wirelake.demo.DriftTruth;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The drift scenario's two days generated with progress on the terminal, a summary of each, and what was planted. */
final class DriftTraffic
{
    private DriftTraffic() {}

    static DriftTruth generate(DriftOptions options, Path output, PrintStream out, PrintStream err)
            throws Exception
    {
        Terminal terminal = new Terminal(err);
        long expected = 2L * options.sessions() * DriftOptions.BYTES_PER_SESSION;
        DriftTruth truth;
        try {
            truth = DriftTrafficGenerator.generate(options, output, bytes -> terminal.progress("generating", bytes, expected));
        }
        finally {
            terminal.done();
        }
        for (DriftTruth.DayTruth day : List.of(truth.day(DriftScenario.Day.BASELINE), truth.day(DriftScenario.Day.INCIDENT))) {
            out.printf("wirelake generate: %s day %s .. %s: %s in %d captures under %s, %s sessions, %s packets, %d endpoints, %d edges%n", day.directory(),
                    day.from(), day.to(), Sizes.format(day.bytes()), day.captures().size(), output.resolve(day.directory()), Sizes.count(day.sessions()),
                    Sizes.count(day.packets()), day.endpoints().size(), day.edges().size());
        }
        out.printf("  planted (%d), ground truth in %s:%n", truth.findings().size(), output.resolve(DriftTruth.FILE));
        for (DriftTruth.Finding finding : truth.findings()) {
            out.printf("    %-25s %s%n", finding.check(), finding.subject());
        }
        return truth;
    }
}
