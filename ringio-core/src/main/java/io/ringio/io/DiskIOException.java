package io.ringio.io;

/**
 * The device reported an I/O error (EIO). After a failed fsync the unsynced data of the file may
 * already be gone from the page cache: do not retry the fsync and trust a success.
 */
public final class DiskIOException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public DiskIOException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
