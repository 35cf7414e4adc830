package org.dtls4j.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the OpenSSL and mbedTLS replay tables from src/test/resources/vectors. */
final class ReplayVectors {
    /** One OpenSSL entry: a sequence number and whether it must be delivered. */
    record Step(long seq, boolean delivered) {
    }

    /** One mbedTLS case: numbers already accepted, a new number, and the answer for a 64-record window. */
    record Case(List<Long> previous, long next, boolean accept) {
    }

    private ReplayVectors() {
    }

    static List<Step> openssl() throws IOException {
        List<Step> steps = new ArrayList<>();
        for (String line : lines("vectors/openssl-bad-dtls-replay.txt")) {
            String[] f = line.split("\\s+");
            steps.add(new Step(Long.decode(f[1]), f[0].equals("NODROP")));
        }
        return steps;
    }

    static List<Case> mbedtls() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : lines("vectors/mbedtls-ssl-dtls-replay.txt")) {
            String[] f = line.split(";");
            List<Long> prev = new ArrayList<>();
            if (!f[0].trim().equals("-")) {
                for (String p : f[0].trim().split(",")) {
                    prev.add(Long.parseLong(p.trim(), 16));
                }
            }
            cases.add(new Case(prev, Long.parseLong(f[1].trim(), 16), f[2].trim().equals("accept")));
        }
        return cases;
    }

    private static List<String> lines(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = ReplayVectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        }
        return out;
    }
}
