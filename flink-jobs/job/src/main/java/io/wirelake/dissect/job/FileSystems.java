package io.wirelake.dissect.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Flink's file systems for the embedded job, with the plugins a Flink distribution would load:
 * {@code s3://} through {@code flink-s3-fs-hadoop}, which must be a plugin (its shaded Hadoop has
 * its own class loader). The plugins directory is {@code -Dwirelake.flink.plugins.dir}, else
 * {@code $FLINK_PLUGINS_DIR}; {@code bin/wirelake} points it at wirelake's distribution's
 * {@code plugins/} ({@code cli/target/plugins} in a source checkout). On a Flink cluster the Flink
 * distribution's own plugins directory does this.
 */
public final class FileSystems
{
    private FileSystems() {}

    public static Optional<Path> pluginsDirectory()
    {
        String configured = System.getProperty("wirelake.flink.plugins.dir", System.getenv("FLINK_PLUGINS_DIR"));
        return Optional.ofNullable(configured).map(Path::of).filter(Files::isDirectory);
    }

    /** Initializes Flink's file systems with the configuration (S3 endpoint, path style) and the plugins, if any. */
    public static synchronized void initialize(Configuration configuration)
            throws IOException
    {
        // The S3 plugin's shaded Hadoop uses AWS SDK v1, which prints a deprecation notice with a stack trace.
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        Optional<Path> plugins = pluginsDirectory();
        PluginManager manager = plugins.isEmpty() ? null
                : new DefaultPluginManager(new DirectoryBasedPluginFinder(plugins.get()).findPlugins(), CoreOptions.getPluginParentFirstLoaderPatterns(configuration));
        FileSystem.initialize(configuration, manager);
    }
}
