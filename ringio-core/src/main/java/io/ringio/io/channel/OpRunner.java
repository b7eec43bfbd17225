package io.ringio.io.channel;

import com.sun.nio.file.ExtendedOpenOption;
import io.ringio.io.FileStat;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import io.ringio.sys.Segments;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs one {@link ChannelOp} on a worker thread with FileChannel and java.nio.file, and returns its
 * result the way the kernel would: bytes, a handle or 0, or {@code -errno} (see
 * {@link ChannelErrno}). Stateless; never runs under the {@code ChannelIo} lock.
 */
final class OpRunner {
    private OpRunner() {}

    /**
     * Most bytes one read or write moves, as Linux's {@code MAX_RW_COUNT} (INT_MAX rounded down to
     * a page): a larger request is cut to it and reported short, as read(2) does. It also keeps
     * every count inside an {@code int} result.
     */
    static final int TRANSFER_BYTES_MAX = 0x7ffff000;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] NO_ATTRIBUTES = {};
    private static final byte[] ZERO = {0};

    /** Runs {@code op}; every exception becomes its errno. */
    static int run(ChannelOp op) {
        try {
            int refused = trailingSlash(op);
            if (refused != 0) {
                return refused;
            }
            return switch (op.kind) {
                case OPEN -> open(op);
                case CLOSE -> close(op);
                case READ -> read(op);
                case WRITE -> write(op);
                case READV -> readv(op);
                case WRITEV -> writev(op);
                case SYNC -> sync(op);
                case FSTAT -> fstat(op);
                case STAT -> stat(op);
                case RENAME -> rename(op);
                case UNLINK -> unlink(op);
                case RMDIR -> rmdir(op);
                case MKDIR -> mkdir(op);
                case ALLOCATE -> allocate(op);
                case TRUNCATE -> truncate(op);
                case NOP -> 0;
                // The ChannelIo runs these itself, on the owner thread.
                case TIMEOUT, CANCEL -> throw new AssertionError("a worker was handed " + op);
            };
        } catch (IOException | RuntimeException e) {
            return -ChannelErrno.of(e);
        }
    }

    /**
     * What the kernel answers for a path written with a trailing slash, which {@link Path} drops:
     * such a path must name a directory (following links). EISDIR for any open with O_CREAT
     * through it; ENOTDIR when it names anything else but a directory (mkdir aside, which says
     * EEXIST itself); EISDIR for an unlink of a directory through it; a rename of something that
     * is not a directory onto or from such a path is ENOTDIR too. 0 to go on.
     */
    private static int trailingSlash(ChannelOp op) {
        if (!op.dirOnly && !op.dirOnly2) {
            return 0;
        }
        if (op.kind == ChannelOp.Kind.OPEN && (op.flags & OpenFlags.CREATE) != 0) {
            // The kernel answers an O_CREAT through a trailing slash before it looks anything up.
            return -Errno.EISDIR;
        }
        if (op.kind == ChannelOp.Kind.MKDIR) {
            // mkdir takes the slash; what is there already is EEXIST, as mkdir says itself.
            return 0;
        }
        if (op.kind == ChannelOp.Kind.UNLINK && Files.exists(op.path, LinkOption.NOFOLLOW_LINKS)) {
            // unlink looks at the name itself, a link included: a directory is EISDIR, anything
            // else ENOTDIR through the slash.
            return Files.isDirectory(op.path, LinkOption.NOFOLLOW_LINKS) ? -Errno.EISDIR : -Errno.ENOTDIR;
        }
        if ((op.dirOnly && notADirectory(op.path)) || (op.dirOnly2 && notADirectory(op.path2))) {
            return -Errno.ENOTDIR;
        }
        if (op.kind == ChannelOp.Kind.RENAME && Files.exists(op.path, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(op.path, LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.ENOTDIR;
        }
        return 0;
    }

    /** The path names something (following links) that is not a directory. */
    private static boolean notADirectory(Path path) {
        return Files.exists(path) && !Files.isDirectory(path);
    }

    // ---- open and close ----

    private static int open(ChannelOp op) throws IOException {
        ChannelFile file = op.file;
        if (file == null) {
            return -Errno.EMFILE;
        }
        Path path = op.path;
        int flags = op.flags;
        if ((flags & OpenFlags.DIRECTORY) != 0) {
            return openDirectory(file, path);
        }
        boolean read = (flags & OpenFlags.READ) != 0;
        boolean write = (flags & OpenFlags.WRITE) != 0;
        boolean append = (flags & OpenFlags.APPEND) != 0;
        boolean direct = (flags & OpenFlags.DIRECT) != 0;
        try {
            if (write) {
                // FileChannel refuses READ + APPEND, so a reader is opened on its own below.
                file.writer = FileChannel.open(path, writerOptions(flags, read && !append), createAttributes(flags, op.mode));
                if ((flags & OpenFlags.TRUNCATE) != 0 && append) {
                    // FileChannel also refuses APPEND + TRUNCATE_EXISTING; cut it by hand.
                    file.writer.truncate(0);
                }
                if (read && !append) {
                    file.reader = file.writer;
                }
                file.sizer = append || direct ? FileChannel.open(path, StandardOpenOption.WRITE) : file.writer;
            }
            if (read && file.reader == null) {
                file.reader = FileChannel.open(path, readerOptions(flags));
            }
        } catch (IOException | RuntimeException e) {
            file.closeChannels();
            file.reader = file.writer = file.sizer = null;
            throw e;
        }
        describe(file, FileStat.Type.FILE);
        return file.handle;
    }

    private static int openDirectory(ChannelFile file, Path path) throws IOException {
        // open(O_RDONLY) of a directory works on Linux, and force() on it is fsync(2) of the
        // directory: what makes a create, rename or unlink in it durable.
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        boolean isDirectory;
        try {
            isDirectory = Files.isDirectory(path);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        if (!isDirectory) {
            // What O_DIRECTORY does to anything else.
            channel.close();
            return -Errno.ENOTDIR;
        }
        file.reader = channel;
        describe(file, FileStat.Type.DIRECTORY);
        return file.handle;
    }

    /** Notes what stat by handle reports besides the size, and which file the path names now. */
    private static void describe(ChannelFile file, FileStat.Type fallbackType) {
        try {
            FileAttributes a = FileAttributes.read(file.path());
            file.type = a.type();
            file.blockSize = a.blockSize();
            file.key = a.key();
            file.mtimeNanos = a.mtimeNanos();
        } catch (IOException e) {
            // The path was renamed or removed since the open: the open still succeeded, and stat
            // by handle will read what it can then.
            file.type = fallbackType;
        }
    }

    private static Set<OpenOption> writerOptions(int flags, boolean alsoRead) {
        Set<OpenOption> options = new HashSet<>();
        options.add(StandardOpenOption.WRITE);
        if (alsoRead) {
            options.add(StandardOpenOption.READ);
        }
        if ((flags & OpenFlags.CREATE_NEW) != 0) {
            options.add(StandardOpenOption.CREATE_NEW);
        } else if ((flags & OpenFlags.CREATE) != 0) {
            options.add(StandardOpenOption.CREATE);
        }
        if ((flags & OpenFlags.APPEND) != 0) {
            options.add(StandardOpenOption.APPEND);
        } else if ((flags & OpenFlags.TRUNCATE) != 0) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        addCommon(options, flags);
        return options;
    }

    private static Set<OpenOption> readerOptions(int flags) {
        Set<OpenOption> options = new HashSet<>();
        options.add(StandardOpenOption.READ);
        addCommon(options, flags);
        return options;
    }

    private static void addCommon(Set<OpenOption> options, int flags) {
        if ((flags & OpenFlags.DSYNC) != 0) {
            options.add(StandardOpenOption.DSYNC);
        }
        if ((flags & OpenFlags.DIRECT) != 0) {
            options.add(ExtendedOpenOption.DIRECT);
        }
    }

    /** The permission bits for a file that the open may create, as open(2) applies them (less the umask). */
    private static FileAttribute<?>[] createAttributes(int flags, int mode) {
        if (!POSIX || (flags & (OpenFlags.CREATE | OpenFlags.CREATE_NEW)) == 0) {
            return NO_ATTRIBUTES;
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions(mode))};
    }

    /** The rwx bits of {@code mode}; set-user-ID, set-group-ID and sticky have no PosixFilePermission. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] byBit = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < byBit.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(byBit[bit]);
            }
        }
        return set;
    }

    /**
     * Drops the handle's reference that this close holds; the file's channels close when no other
     * operation still uses them (then their failure, if any, is this result).
     */
    private static int close(ChannelOp op) {
        ChannelFile file = op.file;
        if (file == null) {
            return -Errno.EBADF;
        }
        op.file = null;
        return file.releaseAndCloseIfLast();
    }

    // ---- transfers ----

    private static int read(ChannelOp op) throws IOException {
        FileChannel channel = reader(op);
        if (channel == null) {
            return -Errno.EBADF;
        }
        MemorySegment buf = accessible(op.buf);
        if (buf == null) {
            return -Errno.EFAULT;
        }
        return Math.max(0, channel.read(byteBuffer(buf, TRANSFER_BYTES_MAX), op.offset));
    }

    private static int write(ChannelOp op) throws IOException {
        FileChannel channel = writer(op);
        if (channel == null) {
            return -Errno.EBADF;
        }
        MemorySegment buf = accessible(op.buf);
        if (buf == null) {
            return -Errno.EFAULT;
        }
        return channel.write(byteBuffer(buf, TRANSFER_BYTES_MAX), op.offset);
    }

    /** preadv(2) as one positional read per buffer; see {@link #vectored}. */
    private static int readv(ChannelOp op) throws IOException {
        return vectored(op, true);
    }

    /** pwritev(2) as one positional write per buffer; see {@link #vectored}. */
    private static int writev(ChannelOp op) throws IOException {
        return vectored(op, false);
    }

    /**
     * One positional transfer per buffer, since FileChannel's scattering and gathering calls use
     * the channel's shared position. Stops at the first short transfer, as preadv and pwritev
     * report a short count.
     */
    private static int vectored(ChannelOp op, boolean read) throws IOException {
        FileChannel channel = read ? reader(op) : writer(op);
        if (channel == null) {
            return -Errno.EBADF;
        }
        long total = 0;
        for (MemorySegment b : op.bufs) {
            long wanted = Math.min(b.byteSize(), TRANSFER_BYTES_MAX - total);
            if (wanted == 0) {
                if (total == TRANSFER_BYTES_MAX) {
                    break;
                }
                continue;
            }
            MemorySegment buf = accessible(b);
            if (buf == null) {
                return total > 0 ? (int) total : -Errno.EFAULT;
            }
            int n;
            try {
                n = read ? Math.max(0, channel.read(byteBuffer(buf, wanted), op.offset + total))
                        : channel.write(byteBuffer(buf, wanted), op.offset + total);
            } catch (IOException | RuntimeException e) {
                if (total > 0) {
                    // As the kernel does: bytes already moved are reported, the error is not.
                    return (int) total;
                }
                throw e;
            }
            total += n;
            if (n < wanted) {
                break;
            }
        }
        return (int) total;
    }

    private static FileChannel reader(ChannelOp op) {
        ChannelFile file = op.file;
        if (file == null || !file.isOpen()) {
            return null;
        }
        // A write-only file has no reader: FileChannel would say NonReadableChannelException,
        // the kernel EBADF.
        return file.reader;
    }

    private static FileChannel writer(ChannelOp op) {
        ChannelFile file = op.file;
        return file == null || !file.isOpen() ? null : file.writer;
    }

    /**
     * The buffer as this worker may touch it, or null when its arena has been closed (the caller
     * broke the rule that a buffer stays alive until its completion; the kernel would say EFAULT
     * or worse). A confined segment belongs to the thread that submitted it, so the worker goes
     * through a view without an owner, as the kernel goes through the address.
     */
    private static MemorySegment accessible(MemorySegment buf) {
        if (!buf.scope().isAlive()) {
            return null;
        }
        return buf.isAccessibleBy(Thread.currentThread()) ? buf : Segments.anyThreadView(buf);
    }

    private static ByteBuffer byteBuffer(MemorySegment buf, long bytesMax) {
        return buf.asSlice(0, Math.min(buf.byteSize(), bytesMax)).asByteBuffer();
    }

    // ---- metadata ----

    /** fsync(2) with force(true), fdatasync(2) with force(false); works on directories too. */
    private static int sync(ChannelOp op) throws IOException {
        ChannelFile file = op.file;
        if (file == null || !file.isOpen()) {
            return -Errno.EBADF;
        }
        file.anyChannel().force(!op.flag);
        return 0;
    }

    /**
     * The size comes from the open file itself (fstat). The rest comes through its path, which a
     * rename or unlink by someone else may have pointed elsewhere: then the type and block size
     * seen at open and the last modification time seen while the path still named this file are
     * reported.
     */
    private static int fstat(ChannelOp op) throws IOException {
        ChannelFile file = op.file;
        if (file == null || !file.isOpen()) {
            return -Errno.EBADF;
        }
        long size = file.anyChannel().size();
        try {
            FileAttributes a = FileAttributes.read(file.path());
            if (file.key == null || file.key.equals(a.key())) {
                file.mtimeNanos = a.mtimeNanos();
                if (file.blockSize == 0) {
                    file.blockSize = a.blockSize();
                }
            }
        } catch (IOException e) {
            // The path no longer names a file; what was seen before stands.
        }
        op.stat.set(size, file.blockSize, file.type, file.mtimeNanos);
        return 0;
    }

    private static int stat(ChannelOp op) throws IOException {
        FileAttributes.read(op.path).fill(op.stat);
        return 0;
    }

    /**
     * rename(2) through {@link Files#move} with ATOMIC_MOVE, which is rename(2) itself: an existing
     * target is replaced atomically, and another file system is EXDEV rather than a copy. With
     * {@code noReplace} an existing target is EEXIST; that check and the rename are two steps, so
     * unlike renameat2(RENAME_NOREPLACE) a file created in between by someone else is replaced.
     */
    private static int rename(ChannelOp op) throws IOException {
        // The source first, as rename(2) looks it up first: a missing one is ENOENT whatever the target.
        Files.readAttributes(op.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (op.flag && Files.exists(op.path2, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(op.path2.toString());
        }
        Files.move(op.path, op.path2, StandardCopyOption.ATOMIC_MOVE);
        return 0;
    }

    /** unlink(2) removes no directory (EISDIR); Files.delete would, so the type is checked first. */
    private static int unlink(ChannelOp op) throws IOException {
        BasicFileAttributes a = Files.readAttributes(op.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
            return -Errno.EISDIR;
        }
        Files.delete(op.path);
        return 0;
    }

    /** rmdir(2) removes only a directory, not a file or a symbolic link to one (ENOTDIR). */
    private static int rmdir(ChannelOp op) throws IOException {
        BasicFileAttributes a = Files.readAttributes(op.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            return -Errno.ENOTDIR;
        }
        Files.delete(op.path);
        return 0;
    }

    private static int mkdir(ChannelOp op) throws IOException {
        if (POSIX) {
            Files.createDirectory(op.path, PosixFilePermissions.asFileAttribute(permissions(op.mode)));
        } else {
            Files.createDirectory(op.path);
        }
        return 0;
    }

    /**
     * fallocate(2) emulated: FileChannel cannot reserve blocks, so no space is reserved and a
     * later write can still fail with ENOSPC. Only the size changes as fallocate would change it:
     * grown to {@code offset + length} unless {@code keepSize}.
     */
    private static int allocate(ChannelOp op) throws IOException {
        ChannelFile file = op.file;
        if (file == null || !file.isOpen() || file.writer == null) {
            // fallocate(2) needs a file open for writing: EBADF otherwise.
            return -Errno.EBADF;
        }
        if (op.length == 0) {
            // fallocate(2): "len was less than or equal to 0".
            return -Errno.EINVAL;
        }
        if (!op.flag) {
            grow(file, op.offset + op.length);
        }
        return 0;
    }

    /** ftruncate(2): FileChannel.truncate only cuts, so a larger size is reached by {@link #grow}. */
    private static int truncate(ChannelOp op) throws IOException {
        ChannelFile file = op.file;
        if (file == null || !file.isOpen()) {
            return -Errno.EBADF;
        }
        if (file.writer == null) {
            // ftruncate(2) of a file not open for writing is EINVAL on Linux, not EBADF.
            return -Errno.EINVAL;
        }
        if (op.length < file.writer.size()) {
            file.writer.truncate(op.length);
        } else {
            grow(file, op.length);
        }
        return 0;
    }

    /**
     * Makes the file {@code size} bytes long if it is shorter, by writing one zero byte at
     * {@code size - 1}: past the old end every byte reads as zero anyway, so nothing changes but
     * the size (the gap stays a hole on file systems that have them).
     */
    private static void grow(ChannelFile file, long size) throws IOException {
        FileChannel sizer = file.sizer;
        if (size > sizer.size()) {
            sizer.write(ByteBuffer.wrap(ZERO), size - 1);
        }
    }
}
