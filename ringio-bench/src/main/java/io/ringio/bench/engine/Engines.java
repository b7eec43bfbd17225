package io.ringio.bench.engine;

import java.util.List;

/** Every engine, by id, and which of them the default run measures for each workload. */
public final class Engines {
    private Engines() {}

    /** All engines, in the order the bench runs them. */
    public static List<Engine> all() {
        return List.of(new RingioFuturesEngine(), new RingioFuturesEngine(1), new RingioFuturesEngine(0),
                new RingioBlockingEngine(), new RingioBlockingEngine(RingioBlockingEngine.SPIN), RingioBlockingEngine.onLoop(),
                new FileChannelEngine(FileChannelEngine.Threads.ONE),
                new FileChannelEngine(FileChannelEngine.Threads.PLATFORM),
                new FileChannelEngine(FileChannelEngine.Threads.VIRTUAL), new AsyncFileChannelEngine(),
                new FioEngine());
    }

    /** The engine named {@code id}. */
    public static Engine of(String id) {
        for (Engine e : all()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not an engine; the engines are " + ids());
    }

    public static String ids() {
        return String.join(", ", all().stream().map(Engine::id).toList());
    }

    /**
     * The engines the default run measures for {@code workload}: ringio's style that fits it, the
     * FileChannel it is compared with, and fio; on the 32-deep random reads also ringio submitting
     * each read at once and once per loop turn, FileChannel on virtual threads and
     * AsynchronousFileChannel; at depth 1 also blocking calls that poll instead of sleeping; for
     * writes with fdatasync both of ringio's styles; and, beside every blocking engine but the one
     * on the hot file, the same calls on virtual threads of the loop's own thread.
     */
    public static List<String> representative(Workload workload) {
        return switch (workload) {
            case RANDREAD_QD1 -> List.of("ringio-futures", "ringio-blocking", "ringio-blocking-spin", "ringio-blocking-loop",
                    "filechannel", "fio");
            case RANDREAD_QD32 -> List.of("ringio-futures", "ringio-futures-eager", "ringio-futures-turn",
                    "ringio-blocking", "ringio-blocking-loop", "filechannel-threads", "filechannel-virtual",
                    "async-filechannel", "fio");
            case RANDREAD_HOT -> List.of("ringio-blocking", "filechannel", "fio");
            case SEQREAD, SEQWRITE -> List.of("ringio-futures", "filechannel-threads", "fio");
            case RANDWRITE_SYNC -> List.of("ringio-futures", "ringio-blocking", "ringio-blocking-loop", "filechannel", "fio");
        };
    }
}
