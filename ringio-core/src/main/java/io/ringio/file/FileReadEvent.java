package io.ringio.file;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A read through {@link RingFile}, in the style of the JDK's {@code jdk.FileRead}: its duration
 * runs from submission to completion, and it is committed on the thread that saw the completion:
 * the loop thread, or the caller's thread for a blocking read served from the page cache.
 * Recorded when enabled and over its threshold. The threshold is 20 ms unless a recording sets
 * another, as JFR's default settings do for {@code jdk.FileRead}; JFR's settings files do not
 * name ringio's events, so without this default any recording would take every operation.
 * Committing on a virtual thread may pin it for a moment: JFR's event writer pins while it adds a
 * new string (the path) to its string pool.
 */
@Name("io.ringio.FileRead")
@Label("ringio File Read")
@Category({"ringio", "File"})
@Description("Reading data from a file through ringio")
@StackTrace(false)
@Threshold("20 ms")
public final class FileReadEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Offset")
    public long offset;

    @Label("Bytes Read")
    @Description("Number of bytes read from the file (possibly 0)")
    @DataAmount
    public long bytesRead;

    @Label("End of File")
    @Description("If end of file was reached")
    public boolean endOfFile;
}
