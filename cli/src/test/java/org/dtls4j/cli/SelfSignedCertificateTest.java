package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DER encoder's certificate, read back by the JDK's parser. */
class SelfSignedCertificateTest {
    @Test
    void certificateIsAV3SelfSignedEcdsaCertificateNamingTheHost() throws Exception {
        SelfSignedCertificate.Identity id = SelfSignedCertificate.create("localhost", Duration.ofDays(1));
        X509Certificate c = id.certificate();
        assertEquals(3, c.getVersion());
        assertEquals("CN=localhost", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertTrue(c.getSerialNumber().signum() > 0);
        assertArrayEquals(id.keyPair().getPublic().getEncoded(), c.getPublicKey().getEncoded());
        c.verify(id.keyPair().getPublic());
        c.checkValidity();
        assertEquals(List.of(List.of(2, "localhost")), List.copyOf(c.getSubjectAlternativeNames()));
    }

    @Test
    void longFormLengthsAndMultiByteOidArcsEncodeAsX690Says() {
        assertArrayEquals(new byte[] {0x04, (byte) 0x81, (byte) 200},
                java.util.Arrays.copyOf(SelfSignedCertificate.tlv(0x04, new byte[200]), 3));
        assertArrayEquals(new byte[] {0x04, (byte) 0x82, 0x01, 0x00},
                java.util.Arrays.copyOf(SelfSignedCertificate.tlv(0x04, new byte[256]), 4));
        // 1.2.840.10045.4.3.2 = 06 08 2A 86 48 CE 3D 04 03 02
        assertArrayEquals(new byte[] {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02},
                SelfSignedCertificate.oid(new int[] {1, 2, 840, 10045, 4, 3, 2}));
    }
}
