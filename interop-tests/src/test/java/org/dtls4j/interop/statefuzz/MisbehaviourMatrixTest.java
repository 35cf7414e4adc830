package org.dtls4j.interop.statefuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.dtls4j.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@link Misbehaviour} against each server and writes what it did to
 * {@code target/misbehaviours/<server>.md} (the table in docs/testing.md is built from these). Another
 * stack's outcome is a result, not a failure: for those the test asserts that every scenario ran and
 * was classified, and that the baseline handshake works (so the classification means something). For
 * dtls4j it asserts what RFC 6347 allows.
 */
class MisbehaviourMatrixTest {

    private static Map<Misbehaviour, Outcome> runAll(Target target) throws Exception {
        Map<Misbehaviour, Outcome> results = new EnumMap<>(Misbehaviour.class);
        try (target) {
            for (Misbehaviour m : Misbehaviour.values()) {
                try (ScriptedPeer peer = target.connect()) {
                    results.put(m, m.play(new Misbehaviour.Run(peer, target)));
                }
            }
        }
        write(target.name(), "", results, m -> m.description);
        return results;
    }

    /** Writes {@code target/misbehaviours/<name><suffix>.md}: one row per scenario, named by {@code description}. */
    static <M> void write(String name, String suffix, Map<M, Outcome> results, Function<M, String> description)
            throws IOException {
        StringBuilder sb = new StringBuilder("| misbehaviour | ").append(name).append(" | what came back |\n|---|---|---|\n");
        results.forEach((m, o) -> sb.append("| ").append(description.apply(m)).append(" | ").append(o.summary())
                .append(" | ").append(o.symbols().isEmpty() ? "(retransmissions)" : String.join(" ", o.symbols())).append(" |\n"));
        Path dir = Path.of("target", "misbehaviours");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + suffix + ".md"), sb, StandardCharsets.UTF_8);
        System.out.println(sb);
    }

    private static void assertClassified(Map<Misbehaviour, Outcome> results) {
        assertEquals(Misbehaviour.values().length, results.size());
        Outcome baseline = results.get(Misbehaviour.BASELINE);
        assertTrue(baseline.completed() && baseline.markerAccepted(), "the scripted peer completes a correct handshake: "
                + baseline);
        results.values().forEach(o -> assertFalse(o.summary().isEmpty()));
    }

    @Test
    void dtls4jServerDoesWhatRfc6347AllowsForEveryMisbehaviour() throws Exception {
        Map<Misbehaviour, Outcome> results = runAll(new Targets.Dtls4j());
        assertClassified(results);
        results.forEach((m, o) -> assertTrue(m.rfcAllows.test(o), m + ": " + o));
    }

    @Test
    void bouncyCastleServerOutcomesAreRecorded() throws Exception {
        assertClassified(runAll(new Targets.BouncyCastle()));
    }

    @Test
    void jdkSslEngineServerOutcomesAreRecorded() throws Exception {
        assertClassified(runAll(new Targets.Jdk()));
    }

    @Test
    void openSslServerOutcomesAreRecorded() throws Exception {
        assertClassified(runAll(new Targets.OpenSsl()));
    }
}
