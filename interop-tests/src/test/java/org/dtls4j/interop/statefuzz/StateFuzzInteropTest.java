package org.dtls4j.interop.statefuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dtls4j.testing.AbstractInput;
import org.dtls4j.testing.AbstractOutput;
import org.dtls4j.testing.DtlsClientSul;
import org.dtls4j.testing.RandomWalkTester;
import org.dtls4j.testing.UdpTransport;
import org.junit.jupiter.api.Test;

/**
 * The state-fuzzing front end on real servers: seeded random walks over the abstract alphabet, judged
 * by the RFC 6347 oracle. dtls4j must show no violation; what the other stacks show is written to
 * {@code target/state-fuzz/} and reported, not failed.
 */
class StateFuzzInteropTest {
    private static final List<AbstractInput> HANDSHAKE_ALPHABET = List.of(AbstractInput.CLIENT_HELLO,
            AbstractInput.CLIENT_KEY_EXCHANGE, AbstractInput.CHANGE_CIPHER_SPEC, AbstractInput.FINISHED,
            AbstractInput.APPLICATION_DATA, AbstractInput.EMPTY_CERTIFICATE, AbstractInput.FATAL_ALERT);

    private static void write(String name, List<RandomWalkTester.Violation> found) throws IOException {
        Path dir = Path.of("target", "state-fuzz");
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder(name).append(": ").append(found.size()).append(" violations\n");
        found.forEach(v -> sb.append(v).append('\n'));
        Files.writeString(dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".txt"), sb, StandardCharsets.UTF_8);
        System.out.println(sb);
    }

    @Test
    void randomWalksFindNoRfc6347ViolationInDtls4j() throws Exception {
        try (Targets.Dtls4j target = new Targets.Dtls4j()) {
            DtlsClientSul sul = new DtlsClientSul(() -> UdpTransport.connect(target.address()),
                    Targets.pskSettings(Duration.ofMillis(500), Duration.ofMillis(40)));
            RandomWalkTester tester = new RandomWalkTester(sul, 20261202L, HANDSHAKE_ALPHABET);
            List<AbstractOutput> rfcOrder = tester.replay(List.of(AbstractInput.CLIENT_HELLO,
                    AbstractInput.CLIENT_KEY_EXCHANGE, AbstractInput.CHANGE_CIPHER_SPEC, AbstractInput.FINISHED,
                    AbstractInput.APPLICATION_DATA));
            assertTrue(rfcOrder.get(3).has("FINISHED") && rfcOrder.get(4).has("APPLICATION_DATA"), rfcOrder.toString());
            List<RandomWalkTester.Violation> found = tester.run(10, 5);
            write("dtls4j", found);
            assertEquals(List.of(), found);
        }
    }

    @Test
    void randomWalksOnTheJdkEngineAreRecorded() throws Exception {
        Targets.Jdk target = new Targets.Jdk();
        // The engine answers before send returns, so silence is known at once: short waits keep 25 walks quick.
        DtlsClientSul sul = new DtlsClientSul(target::openTransport,
                Targets.Jdk.settings().withTimeouts(Duration.ofMillis(30), Duration.ofMillis(5)));
        RandomWalkTester tester = new RandomWalkTester(sul, 20261202L, HANDSHAKE_ALPHABET);
        List<AbstractOutput> rfcOrder = tester.replay(List.of(AbstractInput.CLIENT_HELLO,
                AbstractInput.CLIENT_KEY_EXCHANGE, AbstractInput.CHANGE_CIPHER_SPEC, AbstractInput.FINISHED));
        assertTrue(rfcOrder.get(3).has("FINISHED"), rfcOrder.toString());
        write("JDK SSLEngine", tester.run(25, 6));
    }
}
