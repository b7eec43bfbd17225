/**
 * ringio core: the {@code sys} layer (the only native code), the {@code ring} layer (one io_uring
 * instance) and the {@code io} seam with its io_uring and FileChannel backends. Only this module
 * needs native access: {@code --enable-native-access=io.ringio.core}.
 */
module io.ringio.core {
    exports io.ringio.loop;
    exports io.ringio.file;
    exports io.ringio.sys;
    exports io.ringio.ring;
    exports io.ringio.io;
    exports io.ringio.io.uring;
    exports io.ringio.io.channel;
    exports io.ringio.io.sim;
    exports io.ringio.buffer;

    // com.sun.nio.file.ExtendedOpenOption.DIRECT, for O_DIRECT in the FileChannel backend.
    requires jdk.unsupported;
    // The FileRead, FileWrite and FileForce events of the file layer.
    requires jdk.jfr;
}
