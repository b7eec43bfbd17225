package io.ringio.ring;

import io.ringio.sys.IoUring;
import io.ringio.sys.IoUringProbe;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** The opcodes a kernel reported as supported through IORING_REGISTER_PROBE. */
public final class OpcodeSet {
    private final boolean[] supported;
    private final int lastOp;

    private OpcodeSet(boolean[] supported, int lastOp) {
        this.supported = supported;
        this.lastOp = lastOp;
    }

    static OpcodeSet from(MemorySegment probe) {
        boolean[] supported = new boolean[IoUringProbe.OPS_MAX];
        int n = IoUringProbe.opsLen(probe);
        for (int i = 0; i < n; i++) {
            if (IoUringProbe.supported(probe, i)) {
                supported[IoUringProbe.op(probe, i)] = true;
            }
        }
        return new OpcodeSet(supported, IoUringProbe.lastOp(probe));
    }

    /** True when the kernel supports {@code opcode} (an IORING_OP_* value). */
    public boolean supports(int opcode) {
        return opcode >= 0 && opcode < supported.length && supported[opcode];
    }

    /** The highest opcode this kernel knows. */
    public int lastOp() {
        return lastOp;
    }

    /** The names of the supported opcodes, in opcode order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int op = 0; op < supported.length; op++) {
            if (supported[op]) {
                names.add(IoUring.opName(op));
            }
        }
        return names;
    }
}
