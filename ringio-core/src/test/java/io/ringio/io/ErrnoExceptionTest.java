package io.ringio.io;

import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ErrnoExceptionTest {
    @Test
    void eachKindOfFailureHasItsOwnTypeCarryingOperationPathAndErrnoName() {
        Map<Integer, Class<? extends ErrnoException>> kinds = Map.ofEntries(
                Map.entry(Errno.ENOENT, NoSuchFileException.class),
                Map.entry(Errno.EEXIST, AlreadyExistsException.class),
                Map.entry(Errno.ENOTDIR, NotADirectoryException.class),
                Map.entry(Errno.EISDIR, IsADirectoryException.class),
                Map.entry(Errno.ENOTEMPTY, NotEmptyException.class),
                Map.entry(Errno.ENOSPC, NoSpaceException.class),
                Map.entry(Errno.EDQUOT, NoSpaceException.class),
                Map.entry(Errno.EIO, DiskIOException.class),
                Map.entry(Errno.EACCES, PermissionDeniedException.class),
                Map.entry(Errno.EPERM, PermissionDeniedException.class),
                Map.entry(Errno.EBADF, BadDescriptorException.class),
                Map.entry(Errno.EINVAL, InvalidArgumentException.class),
                Map.entry(Errno.ECANCELED, CancelledException.class),
                Map.entry(Errno.ETIME, TimedOutException.class));
        kinds.forEach((errno, type) -> {
            ErrnoException e = ErrnoException.of(-errno, "write", "/data/log");
            assertThat(e).isInstanceOf(type).isInstanceOf(IOException.class);
            assertThat(e.errno()).isEqualTo(errno);
            assertThat(e.operation()).isEqualTo("write");
            assertThat(e.path()).isEqualTo("/data/log");
            assertThat(e.getMessage()).startsWith("write /data/log: " + Errno.name(errno) + " (");
        });
    }

    @Test
    void anUncommonErrnoKeepsItsRawValueInTheGeneralType() {
        ErrnoException e = ErrnoException.of(Errno.EXDEV, "rename", null);
        assertThat(e.getClass()).isEqualTo(ErrnoException.class);
        assertThat(e.errnoName()).isEqualTo("EXDEV");
        assertThat(e.getMessage()).isEqualTo("rename: EXDEV (Invalid cross-device link)");
    }
}
