package io.ringio.file;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** An fsync or fdatasync through {@link RingFile}, in the style of {@code jdk.FileForce}; see {@link FileReadEvent}. */
@Name("io.ringio.FileForce")
@Label("ringio File Force")
@Category({"ringio", "File"})
@Description("Force updates to be written to a file through ringio")
@StackTrace(false)
@Threshold("20 ms")
public final class FileForceEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Update Metadata")
    @Description("Whether the file metadata is updated (fsync rather than fdatasync)")
    public boolean metaData;
}
