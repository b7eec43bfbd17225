package io.ringio.bench.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RingioCliTest {

    @Test
    void unknownOptionExitsTwoWithOneMessageLine() {
        CliRun run = CliRun.of("--no-such-option");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .contains("ringio:", "'--no-such-option'", "ringio --help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownSubcommandOptionNamesTheSubcommand() {
        CliRun run = CliRun.of("probe", "--verbose-please");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("ringio probe:").contains("'--verbose-please'", "ringio probe --help");
    }

    @Test
    void misspelledSubcommandSuggestsTheRightOne() {
        CliRun run = CliRun.of("prob");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("'prob'", "did you mean probe");
    }

    @Test
    void noSubcommandIsAUsageError() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("subcommand");
    }

    @Test
    void helpListsProbeAndTheLauncherCommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: ringio", "probe", "jmh", "test");
        assertThat(run.err()).isEmpty();
    }
}
