package org.dtls4j.handshake.machine;

import org.dtls4j.cookie.CookieResult;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.record.RecordLayer;
import org.dtls4j.wire.DtlsException;

/** The server side of a DTLS 1.2 handshake. (State machine being written; see the engine branch.) */
public final class ServerHandshaker extends Handshaker {
    private final CookieResult.Verified verified;

    /** A server handshake continuing from a ClientHello whose cookie the stateless verifier accepted. */
    public ServerHandshaker(HandshakeSettings settings, RecordLayer records, HandshakeOutput out,
                            CookieResult.Verified hello) {
        super(settings, records, out, hello.messageSeq() + 1);
        this.verified = hello;
        this.nextSendSeq = hello.messageSeq();
    }

    /** A server handshake without a cookie exchange: it waits for the ClientHello as its first message. */
    public ServerHandshaker(HandshakeSettings settings, RecordLayer records, HandshakeOutput out) {
        super(settings, records, out, 0);
        this.verified = null;
    }

    @Override
    public void start(long nowNanos) throws DtlsException {
    }

    @Override
    public boolean isEstablished() {
        return false;
    }

    @Override
    public HandshakeResult result() {
        throw new IllegalStateException("handshake not complete");
    }

    @Override
    void onMessage(RawMessage message, long nowNanos) throws DtlsException {
    }

    @Override
    void onChangeCipherSpec(long nowNanos) throws DtlsException {
    }
}
