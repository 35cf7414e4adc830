package org.dtls4j.wire;

/** The alert level byte of RFC 5246 §7.2: a warning lets the connection go on, a fatal alert ends it. */
public enum AlertLevel {
    /** warning (1): the connection goes on. */
    WARNING(1),
    /** fatal (2): the connection ends. */
    FATAL(2);

    private final int code;

    AlertLevel(int code) {
        this.code = code;
    }

    /** {@return the wire byte} */
    public int code() {
        return code;
    }

    /**
     * {@return the level for a wire byte, or {@code null} for a value RFC 5246 does not define}
     *
     * @param code the level byte from an alert record
     */
    public static AlertLevel of(int code) {
        return switch (code) {
            case 1 -> WARNING;
            case 2 -> FATAL;
            default -> null;
        };
    }
}
