package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.junit.jupiter.api.Test;

/** {@code --ciphers} takes every IANA name dtls4j negotiates, the CBC suites included. */
class CipherOptionTest {
    @Test
    void everyNegotiableSuiteNameIsAccepted() throws Exception {
        for (CipherSuite s : CipherSuite.negotiable()) {
            assertEquals(List.of(s), Options.suites(s.name()));
        }
    }

    @Test
    void cbcSuitesParseInTheGivenOrder() throws Exception {
        assertEquals(List.of(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA,
                        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384),
                Options.suites("TLS_PSK_WITH_AES_128_CBC_SHA256, TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA,"
                        + "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"));
    }
}
