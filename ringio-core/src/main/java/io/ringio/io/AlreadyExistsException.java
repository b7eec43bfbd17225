package io.ringio.io;

/** The file already exists (EEXIST), as when creating a new file or a directory. */
public final class AlreadyExistsException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
