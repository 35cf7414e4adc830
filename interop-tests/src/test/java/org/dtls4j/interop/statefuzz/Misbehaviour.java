package org.dtls4j.interop.statefuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.ClientKeyExchange;
import org.dtls4j.record.ContentType;
import org.dtls4j.testing.PeerEvent;
import org.dtls4j.testing.ScriptedPeer;
import org.dtls4j.testing.Send;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;

/**
 * Client misbehaviours from the DTLS state-fuzzing literature (Fiterau-Brostean et al., USENIX
 * Security 2020) and OpenSSL's {@code bad_dtls_test}, each a script for a {@link ScriptedPeer} and the
 * outcomes RFC 6347 allows a server (asserted for dtls4j only; other stacks' outcomes are recorded).
 */
enum Misbehaviour {
    /** The RFC order, then data: proves the script and the target before the misbehaviours. */
    BASELINE("RFC order, then data", o -> o.completed() && o.markerAccepted()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.finishHandshake();
            return r.data("baseline-data", 1);
        }
    },
    FINISHED_BEFORE_CCS("Finished (epoch 0) before ChangeCipherSpec", o -> !o.completed()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.send(r.peer.clientKeyExchange());
            r.peer.send(r.peer.finished());
            r.receive();
            r.peer.changeCipherSpec();
            return r.end();
        }
    },
    CCS_BEFORE_CLIENT_KEY_EXCHANGE("ChangeCipherSpec before ClientKeyExchange", o -> !o.completed()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.clientKeyExchange(), Send.normally().inEpoch(0));
            r.peer.send(r.peer.finished());
            return r.end();
        }
    },
    SKIPPED_CLIENT_KEY_EXCHANGE("ClientKeyExchange skipped", o -> !o.completed()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished());
            return r.end();
        }
    },
    APP_DATA_IN_EPOCH_0("application data in epoch 0 during the handshake", o -> !o.markerAccepted()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.sendApplicationData(bytes("epoch0-early"), 0);
            r.receive();
            r.finishHandshake();
            r.peer.sendApplicationData(bytes("epoch1-later"));
            return r.end("epoch0-early");
        }
    },
    APP_DATA_BEFORE_FINISHED("application data (epoch 1) before Finished", o -> o.completed() || !o.markerAccepted()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.send(r.peer.clientKeyExchange());
            r.peer.changeCipherSpec();
            r.peer.sendApplicationData(bytes("before-finished"));
            r.receive();
            r.peer.send(r.peer.finished());
            return r.end("before-finished");
        }
    },
    DUPLICATE_CLIENT_HELLO("ClientHello retransmitted after ClientKeyExchange", o -> o.completed()) {
        @Override
        Outcome play(Run r) {
            ClientHello hello = r.hello();
            r.begin();
            r.peer.send(r.peer.clientKeyExchange());
            r.peer.send(hello, Send.normally().withMessageSeq(r.helloSeq).outsideTranscript());
            r.receive();
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished());
            return r.end();
        }
    },
    WRONG_MESSAGE_SEQ("message_seq skips one (ClientKeyExchange and Finished)", o -> !o.completed()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            int next = r.peer.nextMessageSeq();
            r.peer.send(r.peer.clientKeyExchange(), Send.normally().withMessageSeq(next + 1));
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished(), Send.normally().withMessageSeq(next + 2));
            return r.end();
        }
    },
    OVERLAPPING_FRAGMENTS("ClientKeyExchange in overlapping fragments whose overlap differs", o -> true) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            ClientKeyExchange cke = r.peer.clientKeyExchange();
            byte[] body = cke.toByteArray();
            int seq = r.peer.nextMessageSeq();
            byte[] first = Arrays.copyOf(body, body.length - 1);
            for (int i = 2; i < first.length; i++) {
                first[i] ^= 0x5a; // the overlap [2, n-1) disagrees with the second fragment, which is the real one
            }
            List<HandshakeFragment> wire = List.of(
                    new HandshakeFragment(cke.type(), body.length, seq, 0, first),
                    new HandshakeFragment(cke.type(), body.length, seq, 2, Arrays.copyOfRange(body, 2, body.length)));
            r.peer.sendFragmentsOf(cke, wire, 0);
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished());
            return r.end();
        }
    },
    RENEGOTIATION("client-initiated renegotiation after the handshake", o -> true) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.finishHandshake();
            r.begin();
            r.peer.startRenegotiation();
            r.hello();
            if (r.helloAnswer.stream().anyMatch(e -> e.symbol().equals("SERVER_HELLO_DONE"))) {
                r.finishHandshake();
            }
            r.peer.sendApplicationData(bytes("after-renegotiation"));
            return r.end("after-renegotiation");
        }
    },
    EPOCH_0_REPLAY_AFTER_HANDSHAKE("the client's epoch-0 records replayed after the handshake", o -> o.markerAccepted()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.finishHandshake();
            r.begin();
            for (byte[] d : r.peer.sentDatagrams()) {
                if (d[3] == 0 && d[4] == 0) { // epoch 0
                    r.peer.sendDatagram(d);
                }
            }
            r.receive();
            r.peer.sendApplicationData(bytes("after-replay"));
            return r.end("after-replay");
        }
    },
    EPOCH_0_DATA_AFTER_HANDSHAKE("plaintext application data (epoch 0) after the handshake", o -> !o.markerAccepted()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.finishHandshake();
            r.begin();
            r.peer.sendApplicationData(bytes("plaintext-after"), 0);
            return r.end("plaintext-after");
        }
    },
    ALERT_IN_EPOCH_0("fatal alert (epoch 0) mid-handshake, then the rest of the flight", o -> !o.completed()) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.sendAlert(AlertLevel.FATAL, AlertDescription.UNEXPECTED_MESSAGE, 0);
            r.receive();
            r.sendFlight();
            return r.end();
        }
    },
    UNKNOWN_CONTENT_TYPE("a record of content type 99 mid-handshake", o -> true) {
        @Override
        Outcome play(Run r) {
            r.hello();
            r.begin();
            r.peer.sendRecord(99, 0, bytes("?"), false);
            r.receive();
            r.sendFlight();
            return r.end();
        }
    };

    final String description;
    final Predicate<Outcome> rfcAllows;

    Misbehaviour(String description, Predicate<Outcome> rfcAllows) {
        this.description = description;
        this.rfcAllows = rfcAllows;
    }

    /** Runs the scenario on a fresh connection and classifies what the server did. */
    abstract Outcome play(Run r);

    /** The data a scenario sends, with a newline: s_server prints what it reads, and its output is read by line. */
    static byte[] bytes(String s) {
        return (s + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One scenario's peer, target and the events after the misbehaviour began. */
    static final class Run {
        final ScriptedPeer peer;
        final Target target;
        final List<PeerEvent> after = new ArrayList<>();
        final List<PeerEvent> all = new ArrayList<>();
        int helloSeq;
        final List<PeerEvent> helloAnswer = new ArrayList<>();
        private boolean recording;

        Run(ScriptedPeer peer, Target target) {
            this.peer = peer;
            this.target = target;
        }

        List<PeerEvent> receive() {
            List<PeerEvent> got = peer.receive();
            all.addAll(got);
            if (recording) {
                after.addAll(got);
            }
            return got;
        }

        /** From here on, events count towards the outcome. */
        void begin() {
            recording = true;
        }

        /** ClientHello, with the cookie when asked, until the server's flight ends; returns the hello sent last. */
        ClientHello hello() {
            helloAnswer.clear();
            ClientHello ch = peer.clientHello();
            helloSeq = peer.nextMessageSeq();
            peer.send(ch);
            List<PeerEvent> got = receive();
            if (got.stream().anyMatch(e -> e.symbol().equals("HELLO_VERIFY_REQUEST"))) {
                ch = peer.clientHello();
                helloSeq = peer.nextMessageSeq();
                peer.send(ch);
                got = receive();
            }
            helloAnswer.addAll(got);
            // A server slow to start (a cold JVM, a loaded machine) gets a few more windows for its flight.
            for (int i = 0; i < 3 && !seen(helloAnswer, "SERVER_HELLO_DONE") && !seen(helloAnswer, "ALERT"); i++) {
                helloAnswer.addAll(receive());
            }
            return ch;
        }

        /** ClientKeyExchange, ChangeCipherSpec, Finished: the client's second flight, in RFC order. */
        void sendFlight() {
            peer.send(peer.clientKeyExchange());
            peer.changeCipherSpec();
            peer.send(peer.finished());
        }

        void finishHandshake() {
            sendFlight();
            List<PeerEvent> got = new ArrayList<>(receive());
            for (int i = 0; i < 2 && !seen(got, "FINISHED") && !seen(got, "ALERT"); i++) {
                got.addAll(receive());
            }
        }

        private static boolean seen(List<PeerEvent> events, String symbolPrefix) {
            return events.stream().anyMatch(e -> e.symbol().startsWith(symbolPrefix));
        }

        Outcome data(String marker, int epoch) {
            begin();
            peer.sendApplicationData(bytes(marker), epoch);
            return end(marker);
        }

        Outcome end() {
            return end(null);
        }

        Outcome end(String marker) {
            receive();
            boolean accepted = marker != null && target.accepted(marker, all);
            return Outcome.of(peer.peerFinishedVerified(), after, marker, accepted, target.notes());
        }
    }
}
