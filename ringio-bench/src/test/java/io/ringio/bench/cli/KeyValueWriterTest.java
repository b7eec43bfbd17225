package io.ringio.bench.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyValueWriterTest {
    private final StringWriter text = new StringWriter();
    private final KeyValueWriter writer = new KeyValueWriter(new PrintWriter(text, true));

    @Test
    void alignsValuesInOneColumn() {
        writer.line("kernel", "6.18");
        writer.line("registered buffers", "64 MiB accepted");

        assertThat(text.toString().lines()).containsExactly(
                "kernel:             6.18",
                "registered buffers: 64 MiB accepted");
    }

    @Test
    void wrapsLongListsIndentedToTheValueColumn() {
        writer.words("opcodes", Collections.nCopies(30, "WRITE_FIXED"));

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(KeyValueWriter.LINE_WIDTH_MAX));
        assertThat(lines.subList(1, lines.size())).allSatisfy(line ->
                assertThat(line).startsWith(" ".repeat(KeyValueWriter.KEY_WIDTH) + "WRITE_FIXED"));
        assertThat(String.join(" ", lines).split("\\s+")).filteredOn("WRITE_FIXED"::equals).hasSize(30);
    }

    @Test
    void keepsAWordLongerThanTheLineWhole() {
        String path = "/" + "x".repeat(100);
        writer.line("java home", path);

        assertThat(text.toString().lines()).containsExactly("java home:          " + path);
    }

    @Test
    void saysNoneForAnEmptyList() {
        writer.words("features", List.of());

        assertThat(text.toString().lines()).containsExactly("features:           (none)");
    }

    @Test
    void refusesAKeyWiderThanTheColumn() {
        assertThatThrownBy(() -> writer.line("a key that is far too wide", "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label=");
    }
}
