package io.ringio.file;

import jdk.jfr.EventType;

/** The event types, looked up once, so that an operation asks "enabled?" without allocating. */
final class FileEvents {
    private FileEvents() {}

    static final EventType READ = EventType.getEventType(FileReadEvent.class);
    static final EventType WRITE = EventType.getEventType(FileWriteEvent.class);
    static final EventType FORCE = EventType.getEventType(FileForceEvent.class);

    /** Initializes this class, and so looks the event types up. */
    static void touch() {
    }
}
