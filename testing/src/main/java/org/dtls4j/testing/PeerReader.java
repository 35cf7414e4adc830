package org.dtls4j.testing;

import java.util.List;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HandshakeMessages;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;

/** Turns one received datagram into {@link PeerEvent}s for a {@link ScriptedPeer}, updating its state. */
final class PeerReader {
    private final ScriptedPeer peer;
    private final List<PeerEvent> events;

    PeerReader(ScriptedPeer peer, List<PeerEvent> events) {
        this.peer = peer;
        this.events = events;
    }

    void datagram(byte[] d) {
        int at = 0;
        while (at < d.length) {
            WireRecord rec = WireRecord.read(d, at, 0);
            if (rec == null) {
                events.add(new PeerEvent.Unreadable(-1, -1, "malformed datagram: record at " + at
                        + " runs past its end"));
                return;
            }
            record(rec);
            at += rec.encodedLength();
        }
    }

    private void record(WireRecord rec) {
        int epoch = rec.epoch();
        int type = rec.type();
        if (!peer.records().canRead(epoch)) {
            events.add(new PeerEvent.Unreadable(epoch, type, "no read keys for epoch " + epoch));
            return;
        }
        byte[] plain;
        try {
            plain = peer.records().open(rec);
        } catch (DtlsException e) {
            events.add(new PeerEvent.Unreadable(epoch, type, "does not authenticate: " + e.getMessage()));
            return;
        }
        switch (type) {
            case ContentType.CHANGE_CIPHER_SPEC -> {
                events.add(new PeerEvent.ChangeCipherSpec(epoch));
                peer.onPeerChangeCipherSpec(epoch);
            }
            case ContentType.ALERT -> alert(epoch, plain);
            case ContentType.APPLICATION_DATA -> events.add(new PeerEvent.ApplicationData(epoch, plain));
            case ContentType.HANDSHAKE -> handshake(epoch, plain);
            default -> events.add(new PeerEvent.Unreadable(epoch, type, "unknown content type"));
        }
    }

    private void alert(int epoch, byte[] plain) {
        AlertLevel level = plain.length == 2 ? AlertLevel.of(plain[0] & 0xff) : null;
        if (level == null) {
            events.add(new PeerEvent.Unreadable(epoch, ContentType.ALERT, "malformed alert"));
            return;
        }
        events.add(new PeerEvent.Alert(epoch, level, AlertDescription.of(plain[1])));
    }

    private void handshake(int epoch, byte[] plain) {
        List<HandshakeFragment> fragments;
        try {
            fragments = HandshakeFragment.decodeAll(plain, 0, plain.length);
        } catch (DtlsException e) {
            events.add(new PeerEvent.MalformedHandshake(epoch, -1, e.getMessage()));
            return;
        }
        for (HandshakeFragment f : fragments) {
            fragment(epoch, f);
        }
    }

    private void fragment(int epoch, HandshakeFragment f) {
        PeerHandshake hs = peer.handshake();
        if (f.length() > PeerHandshake.MAX_MESSAGE) {
            events.add(new PeerEvent.MalformedHandshake(epoch, f.msgType(), "message of " + f.length() + " bytes"));
            return;
        }
        PeerHandshake.Partial p = hs.partial.computeIfAbsent(f.messageSeq(), s -> new PeerHandshake.Partial(f.msgType(), f.length()));
        if (p.type != f.msgType() || p.body.length != f.length()) {
            events.add(new PeerEvent.MalformedHandshake(epoch, f.msgType(), "fragment disagrees with earlier fragments of message_seq "
                    + f.messageSeq()));
            return;
        }
        byte[] body = f.body();
        for (int i = 0; i < body.length; i++) {
            int at = f.fragmentOffset() + i;
            if (!p.have[at]) {
                p.have[at] = true;
                p.missing--;
            }
            p.body[at] = body[i];
        }
        if (p.missing > 0) {
            return;
        }
        hs.partial.remove(f.messageSeq());
        complete(epoch, f.messageSeq(), p);
    }

    private void complete(int epoch, int seq, PeerHandshake.Partial p) {
        PeerHandshake hs = peer.handshake();
        HandshakeMessage m;
        try {
            m = HandshakeMessages.decode(p.type, p.body, hs.decodeContext());
        } catch (DtlsException e) {
            events.add(new PeerEvent.MalformedHandshake(epoch, p.type, e.getMessage()));
            return;
        }
        if (!hs.receivedSeqs.add(seq)) {
            events.add(new PeerEvent.Handshake(epoch, seq, m, true, false));
            return;
        }
        boolean verified = peer.onPeerMessage(m, HandshakeFragment.whole(p.type, seq, p.body).encode());
        events.add(new PeerEvent.Handshake(epoch, seq, m, false, verified));
    }
}
