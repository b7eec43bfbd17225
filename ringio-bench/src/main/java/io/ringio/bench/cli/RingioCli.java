package io.ringio.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code ringio} command-line tool. Subcommands are picocli commands registered here; the
 * top-level command does nothing by itself, so running it without one is a usage error.
 *
 * <p>Exit status: what the subcommand returns (0 for success), 2 for a usage error (one line on
 * stderr), 1 for an unexpected exception (with its stack trace, since it is a bug).
 *
 * <p>Native access: run with {@code --enable-native-access=ALL-UNNAMED} (class path) so that
 * ringio-core's downcalls print no "restricted method" warning; the {@code ./ringio} launcher
 * does.
 */
@Command(
        name = "ringio",
        mixinStandardHelpOptions = true,
        versionProvider = RingioCli.Version.class,
        description = "Storage I/O through Linux io_uring, in pure Java: tools.",
        subcommands = {ProbeCommand.class, BenchCommand.class, HelpCommand.class},
        footerHeading = "%nLauncher commands (the ./ringio script handles these itself):%n",
        footer = {
            "  test [mvn args]  Build and run the whole test suite (mvn -B verify).",
            "  jmh [JMH args]   Run JMH benchmarks: ./ringio jmh NopBenchmark -prof gc",
            "  java-home        Print the JDK the launcher chose, without building.",
        })
public final class RingioCli {

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * A command line for the tool, configured as {@link #main} runs it: usage errors print one
     * line and exit 2. Tests call {@code execute} on it with their own out and err writers.
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new RingioCli());
        cmd.setParameterExceptionHandler(new OneLineUsageErrors());
        return cmd;
    }

    /** "ringio 0.1.0-SNAPSHOT" from the jar manifest, and the JDK running it. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = RingioCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "ringio " + (version != null ? version : "(not built as a jar)"),
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            };
        }
    }
}
