package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.handshake.machine.HandshakeSettings;
import org.junit.jupiter.api.Test;

/** The engine's view of a {@link DtlsConfig} forwards every setting, defaults included. */
class ConfigSettingsTest {
    @Test
    void everyHandshakeSettingIsForwardedToTheConfig() throws ReflectiveOperationException {
        // An interface default that ConfigSettings does not override would silently ignore what the user set.
        List<String> notForwarded = new ArrayList<>();
        for (Method m : HandshakeSettings.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method own = ConfigSettings.class.getMethod(m.getName(), m.getParameterTypes());
            if (own.getDeclaringClass() != ConfigSettings.class
                    || !DtlsConfig.class.getMethod(m.getName(), m.getParameterTypes()).getReturnType()
                            .equals(m.getReturnType())) {
                notForwarded.add(m.getName());
            }
        }
        assertEquals(List.of(), notForwarded);
    }

    @Test
    void valuesComeFromTheConfig() {
        DtlsConfig config = TestConfigs.pskServer().connectionIdLength(6).build();
        ConfigSettings view = new ConfigSettings(config);
        assertEquals(config.cipherSuites(), view.cipherSuites());
        assertEquals(6, view.connectionIdLength());
        assertEquals(config.recordSizeLimit(), view.recordSizeLimit());
        assertEquals(config.pskStore(), view.pskStore());
    }
}
