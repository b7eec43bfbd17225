package io.ringio.bench.engine;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The open options of a spec's file: read or write, O_DIRECT or not; never create or truncate. */
final class OpenFlags {
    private OpenFlags() {}

    static OpenOption[] of(BenchSpec spec) {
        List<OpenOption> options = new ArrayList<>();
        options.add(spec.kind().write() ? StandardOpenOption.WRITE : StandardOpenOption.READ);
        if (spec.direct()) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        return options.toArray(OpenOption[]::new);
    }
}
