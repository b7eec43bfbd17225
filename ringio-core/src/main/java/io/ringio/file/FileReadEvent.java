package io.ringio.file;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A read through {@link RingFile}, in the style of the JDK's {@code jdk.FileRead}: its duration
 * runs from submission to completion, and it is committed on the thread that saw the completion
 * (the loop thread). Recorded when enabled and over its threshold (20 ms in JFR's default
 * settings, as for {@code jdk.FileRead}).
 */
@Name("io.ringio.FileRead")
@Label("ringio File Read")
@Category({"ringio", "File"})
@Description("Reading data from a file through ringio")
@StackTrace(false)
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
