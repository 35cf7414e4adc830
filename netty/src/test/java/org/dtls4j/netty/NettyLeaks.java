package org.dtls4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's leak reports (the surefire run sets {@code -Dio.netty.leakDetection.level=paranoid}, so
 * every buffer is tracked) and turns any into a test failure.
 */
final class NettyLeaks {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private NettyLeaks() {
    }

    /** Hooks a listener into the ByteBuf leak detector (once per JVM). */
    static synchronized void install() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        if (installed) {
            return;
        }
        try {
            Class<?> type = Class.forName("io.netty.buffer.AbstractByteBuf");
            Field f = type.getDeclaredField("leakDetector");
            f.setAccessible(true);
            ((ResourceLeakDetector<?>) f.get(null)).setLeakListener((resourceType, records) ->
                    LEAKS.add(resourceType + " " + records));
            installed = true;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot hook the Netty leak detector", e);
        }
    }

    /**
     * Lets the collector find unreleased buffers (a leak is reported when a tracked buffer is collected and
     * the next one is allocated), then fails when any was reported.
     */
    static void assertNone() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
            probe.release();
        }
        assertEquals(List.of(), LEAKS, "Netty reported leaked buffers");
    }
}
