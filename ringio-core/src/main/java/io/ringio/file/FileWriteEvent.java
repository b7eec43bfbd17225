package io.ringio.file;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** A write through {@link RingFile}, in the style of {@code jdk.FileWrite}; see {@link FileReadEvent}. */
@Name("io.ringio.FileWrite")
@Label("ringio File Write")
@Category({"ringio", "File"})
@Description("Writing data to a file through ringio")
@StackTrace(false)
@Threshold("20 ms")
public final class FileWriteEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Offset")
    public long offset;

    @Label("Bytes Written")
    @Description("Number of bytes written to the file")
    @DataAmount
    public long bytesWritten;
}
