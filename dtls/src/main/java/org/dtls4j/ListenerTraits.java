package org.dtls4j;

/**
 * What a {@link DtlsListener} class does with the defaults it inherits, found once per class: a connection is
 * made per handshake, so the answer must cost a map look-up, not a reflective search.
 */
final class ListenerTraits {
    private static final ClassValue<Boolean> OVERRIDES_ON_TRACE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("onTrace", DtlsConnection.class, String.class).getDeclaringClass()
                        != DtlsListener.class;
            } catch (NoSuchMethodException e) {
                return Boolean.TRUE; // cannot happen for a DtlsListener; when unsure, trace
            }
        }
    };

    private ListenerTraits() {
    }

    /** {@return whether {@code type} (a {@link DtlsListener}) has an {@code onTrace} of its own or inherited} */
    static boolean overridesOnTrace(Class<?> type) {
        return OVERRIDES_ON_TRACE.get(type);
    }
}
