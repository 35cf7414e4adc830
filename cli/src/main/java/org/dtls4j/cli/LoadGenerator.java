package org.dtls4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;

/**
 * Drives many DTLS client connections from one thread: one connected {@link DatagramChannel} per client
 * (so the server sees a distinct address per client, as with real devices), one {@link Selector}, one
 * timer queue, each connection a sans-IO {@link DtlsConnection} fed {@link System#nanoTime()}.
 *
 * <p>A client moves through: handshaking, then (in {@code keep} mode, once every handshake is done)
 * waiting for its turn, echoing ({@code records} round trips, one outstanding), then closed — or left open
 * until the end in {@code keep} mode. At most {@code clients} connections are handshaking or echoing at
 * once, so the load on the server is bounded by that, not by how many connections stay open.
 *
 * <p>Latencies are kept in a reservoir of at most {@value #RESERVOIR} samples (uniform, seeded), so a
 * run of millions of records keeps its memory bounded and its percentiles repeatable.
 */
final class LoadGenerator {
    private static final int RESERVOIR = 200_000;
    private static final long SECOND = 1_000_000_000L;

    /**
     * What to run; see {@link LoadCommand#HELP} for the meaning of each field.
     *
     * @param churn with {@code keep}: connections to make after the echo phase while the kept ones stay open,
     *     each closed as soon as it is established ({@code --churn})
     * @param sync the driver's input whose lines open the phases ({@code --sync}, with {@code keep}), or null
     */
    record Plan(InetSocketAddress server, int clients, int connections, int rate, int records, int size,
                boolean keep, int sourceIps, Duration timeout, Duration duration, Duration hold, int churn,
                InputStream sync) {
    }

    /**
     * The outcome of a run.
     *
     * @param handshakeWindowNanos from the first handshake started to the last one completed
     * @param recordWindowNanos from the first echo sent to the last echo received
     * @param failures handshake failures by reason (an alert name, {@code timeout}, {@code socket}), churn included
     * @param churned churn connections established (and closed)
     * @param churnNanos from the first churn handshake started to the last one completed
     */
    record Report(int started, int established, long handshakeWindowNanos, long[] handshakeLatencies,
                  long recordsSent, long recordsEchoed, long echoTimeouts, long recordWindowNanos,
                  long[] echoLatencies, TreeMap<String, Integer> failures, int peakOpen, long elapsedNanos,
                  int churned, long churnNanos) {

        boolean allSucceeded() {
            return established == started && failures.isEmpty() && echoTimeouts == 0;
        }

        double handshakesPerSecond() {
            return handshakeWindowNanos <= 0 ? 0 : established * (double) SECOND / handshakeWindowNanos;
        }

        double recordsPerSecond() {
            return recordWindowNanos <= 0 ? 0 : recordsEchoed * (double) SECOND / recordWindowNanos;
        }

        /** The report as {@code key: value} lines, easy to read and to grep. */
        String format() {
            StringBuilder b = new StringBuilder();
            line(b, "connections started", Integer.toString(started));
            line(b, "handshakes completed", Integer.toString(established));
            line(b, "handshakes failed", failures.isEmpty() ? "0" : failures.toString());
            line(b, "handshakes/s", String.format(Locale.ROOT, "%.1f", handshakesPerSecond()));
            line(b, "handshake latency ms", percentiles(handshakeLatencies));
            line(b, "records echoed", recordsEchoed + " of " + recordsSent + " (" + echoTimeouts + " timed out)");
            line(b, "records/s (round trips)", String.format(Locale.ROOT, "%.1f", recordsPerSecond()));
            line(b, "echo latency ms", percentiles(echoLatencies));
            line(b, "peak open connections", Integer.toString(peakOpen));
            if (churned > 0) {
                line(b, "churn handshakes/s", String.format(Locale.ROOT, "%d in %.2f s", churned, churnNanos / 1e9));
            }
            line(b, "elapsed s", String.format(Locale.ROOT, "%.2f", elapsedNanos / 1e9));
            return b.toString();
        }

        private static void line(StringBuilder b, String key, String value) {
            b.append(key).append(": ").append(value).append('\n');
        }

        static String percentiles(long[] samples) {
            if (samples.length == 0) {
                return "-";
            }
            long[] s = samples.clone();
            Arrays.sort(s);
            return String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  max %.2f",
                    at(s, 0.50), at(s, 0.90), at(s, 0.99), s[s.length - 1] / 1e6);
        }

        private static double at(long[] sorted, double q) {
            int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    /** A uniform sample of at most {@link #RESERVOIR} values (Vitter's algorithm R). */
    private static final class Reservoir {
        private final long[] values = new long[RESERVOIR];
        private final Random random = new Random(1);
        private long seen;

        void add(long v) {
            seen++;
            if (seen <= values.length) {
                values[(int) seen - 1] = v;
            } else {
                long j = (long) (random.nextDouble() * seen);
                if (j < values.length) {
                    values[(int) j] = v;
                }
            }
        }

        long[] toArray() {
            return Arrays.copyOf(values, (int) Math.min(seen, values.length));
        }
    }

    private enum Phase { HANDSHAKING, READY, ECHOING, DONE }

    private record Timer(long at, Client client) {
    }

    private final DtlsConfig config;
    private final Plan plan;
    private final PrintStream progress;
    private final Selector selector;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(1 << 16);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(1 << 16);
    private final byte[] receiveArray = new byte[1 << 16];
    private final byte[] payload;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final ArrayDeque<Client> ready = new ArrayDeque<>();
    private final java.util.Set<Client> open = new java.util.HashSet<>();
    private final Reservoir handshakeLatency = new Reservoir();
    private final Reservoir echoLatency = new Reservoir();
    private final TreeMap<String, Integer> failures = new TreeMap<>();
    private final List<Client> finished = new ArrayList<>();
    private final PhaseGate gate;

    private int started;
    private int established;
    private int churnStarted;
    private int churned;
    private long churnStart = -1;
    private long churnEnd = -1;
    private int handshaking;
    private int echoing;
    private int openCount;
    private int peakOpen;
    private long recordsSent;
    private long recordsEchoed;
    private long echoTimeouts;
    private long firstStart = -1;
    private long lastHandshake = -1;
    private long firstEcho = -1;
    private long lastEcho = -1;
    private boolean handshakesAnnounced;

    LoadGenerator(DtlsConfig config, Plan plan, PrintStream progress) throws IOException {
        this.config = config;
        this.plan = plan;
        this.progress = progress;
        this.selector = Selector.open();
        this.gate = plan.sync() == null ? null : PhaseGate.reading(plan.sync(), selector);
        this.payload = new byte[plan.size()];
        new Random(7).nextBytes(payload);
    }

    /** Runs the plan to its end and closes every socket it opened. */
    Report run() throws IOException {
        long t0 = System.nanoTime();
        try {
            awaitGate(1, "sync ready");
            t0 = System.nanoTime();
            long nextProgress = t0 + SECOND;
            while (!allDone()) {
                long now = System.nanoTime();
                startConnections(now, t0);
                startEchoPhase(now);
                waitForInput(now, t0);
                readSelected();
                now = System.nanoTime();
                fireTimers(now);
                reap();
                if (now - nextProgress >= 0) {
                    nextProgress += SECOND;
                    progress.printf(Locale.ROOT, "t=%ds started=%d established=%d failed=%d records=%d open=%d%n",
                            (now - t0) / SECOND, started, established, failureCount(), recordsEchoed, openCount);
                }
            }
            announceHandshakesDone(); // also when every handshake failed and no echo phase began
            awaitGate(3, "sync records done " + recordsEchoed);
            if (plan.keep() && plan.churn() > 0) {
                churn();
                awaitGate(4, "sync churn done " + churned);
            }
            hold();
        } finally {
            long now = System.nanoTime();
            for (Client c : new ArrayList<>(open)) {
                c.finish(now, true);
            }
            reap();
            selector.close();
        }
        return new Report(started, established, lastHandshake - firstStart, handshakeLatency.toArray(),
                recordsSent, recordsEchoed, echoTimeouts, lastEcho - firstEcho, echoLatency.toArray(),
                failures, peakOpen, System.nanoTime() - t0, churned, churnEnd - churnStart);
    }

    /**
     * With {@code --sync}, says {@code line} on the progress stream and keeps answering the server (its
     * retransmissions, our timers) until gate {@code k} opens.
     */
    private void awaitGate(int k, String line) throws IOException {
        if (gate == null) {
            return;
        }
        progress.println(line);
        progress.flush();
        while (!gate.isOpen(k)) {
            selector.select(1000);
            readSelected();
            fireTimers(System.nanoTime());
        }
    }

    private void announceHandshakesDone() {
        if (gate != null && !handshakesAnnounced) {
            handshakesAnnounced = true;
            progress.println("sync handshakes done " + established);
            progress.flush();
        }
    }

    /**
     * Makes {@code churn} connections more, at most {@code clients} at once, each closed with close_notify as
     * soon as it is established, while the kept connections stay open: handshakes against a server that already
     * holds every connection, as long as a measurement needs (a few thousand handshakes take a fraction of a
     * second).
     */
    private void churn() throws IOException {
        while (churnStarted < plan.churn() || handshaking > 0) {
            long now = System.nanoTime();
            while (churnStarted < plan.churn() && handshaking < plan.clients()
                    && (churnStart < 0 || churnStarted < pacedAllowance(churnStart, now))) {
                if (churnStart < 0) {
                    churnStart = now;
                }
                new Client(started + churnStarted++, now, true);
            }
            // --rate paces the churn as it paces the first handshakes: the next start is a deadline too.
            long nextStart = churnStarted < plan.churn() && handshaking < plan.clients()
                    ? nextPacedStart(churnStart, churnStarted) : Long.MAX_VALUE;
            waitUntil(now, nextStart);
            readSelected();
            fireTimers(System.nanoTime());
            reap();
        }
    }

    /**
     * In keep mode with a hold, leaves every open connection open (answering retransmissions) for the hold
     * time before the close, so a server's memory can be measured with all of them held; the line printed
     * first tells a watching process when.
     */
    private void hold() throws IOException {
        if (!plan.keep() || plan.hold() == null) {
            return;
        }
        progress.printf(Locale.ROOT, "holding %d open connections for %ds%n", openCount, plan.hold().toSeconds());
        progress.flush();
        long end = System.nanoTime() + plan.hold().toNanos();
        for (long now = System.nanoTime(); now - end < 0; now = System.nanoTime()) {
            selector.select(Math.max(1, Math.min(1000, (end - now) / 1_000_000)));
            readSelected();
            fireTimers(System.nanoTime());
        }
    }

    private boolean allDone() {
        boolean noMoreStarts = started == plan.connections() || durationOver(System.nanoTime());
        return noMoreStarts && handshaking == 0 && echoing == 0 && ready.isEmpty();
    }

    private boolean durationOver(long now) {
        return plan.duration() != null && firstStart >= 0 && now - firstStart >= plan.duration().toNanos();
    }

    private int failureCount() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Starts connections while the concurrency cap, the rate and the total allow. */
    private void startConnections(long now, long t0) throws IOException {
        long allowedByRate = pacedAllowance(t0, now);
        while (started < plan.connections() && started < allowedByRate && handshaking + echoing < plan.clients()
                && !durationOver(now)) {
            if (firstStart < 0) {
                firstStart = now;
            }
            new Client(started++, now, false);
        }
    }

    /** In keep mode the echo phase starts once no handshake is left to start or finish. */
    private void startEchoPhase(long now) {
        boolean handshakesOver = (started == plan.connections() || durationOver(now)) && handshaking == 0;
        if (!plan.keep() || !handshakesOver) {
            return;
        }
        if (gate != null) {
            announceHandshakesDone();
            if (!gate.isOpen(2)) {
                return;
            }
        }
        while (!ready.isEmpty() && echoing < plan.clients()) {
            ready.poll().startEchoing(now);
        }
    }

    private void waitForInput(long now, long t0) throws IOException {
        waitUntil(now, started < plan.connections() ? nextPacedStart(t0, started) : Long.MAX_VALUE);
    }

    /** {@return how many starts {@code --rate} allows from {@code since} to {@code now} (no bound without a rate)} */
    private long pacedAllowance(long since, long now) {
        return plan.rate() == 0 ? Long.MAX_VALUE : 1 + plan.rate() * (now - since) / SECOND;
    }

    /** {@return when start number {@code done} (from 0) is due under {@code --rate}, or MAX_VALUE without one} */
    private long nextPacedStart(long since, int done) {
        return plan.rate() == 0 ? Long.MAX_VALUE : since + done * SECOND / plan.rate();
    }

    /** Waits for a datagram, the next timer or {@code nextStart} (a paced start; MAX_VALUE: none), at most 1 s. */
    private void waitUntil(long now, long nextStart) throws IOException {
        long wake = nextStart;
        Timer next = timers.peek();
        if (next != null) {
            wake = Math.min(wake, next.at);
        }
        // Rounded up: a paced start less than a millisecond away is a sleep of one, not a spin of selectNow
        // calls that would take a core from the server under test; the starts then due go out together.
        long wait = wake == Long.MAX_VALUE ? 1000 : wake - now <= 0 ? 0 : (wake - now + 999_999) / 1_000_000;
        if (wait <= 0) {
            selector.selectNow();
        } else {
            selector.select(Math.min(wait, 1000));
        }
    }

    private void readSelected() throws IOException {
        for (SelectionKey key : selector.selectedKeys()) {
            Client c = (Client) key.attachment();
            if (key.isValid() && key.isReadable()) {
                c.readOne();
            }
        }
        selector.selectedKeys().clear();
    }

    private void fireTimers(long now) {
        Timer t;
        while ((t = timers.peek()) != null && t.at <= now) {
            timers.poll();
            if (t.client.phase != Phase.DONE && t.client.scheduled == t.at) {
                t.client.scheduled = Long.MAX_VALUE;
                t.client.onTimer(now);
            }
        }
    }

    /** Closes the sockets of connections that ended during the last round (never from inside a callback). */
    private void reap() {
        for (Client c : finished) {
            c.closeSocket();
        }
        finished.clear();
    }

    private void fail(String reason) {
        failures.merge(reason, 1, Integer::sum);
    }

    /** One client connection and its socket; it is also the connection's listener and datagram sink. */
    private final class Client implements DtlsListener {
        private final DatagramChannel channel;
        private final DtlsConnection connection;
        private final long startedAt;
        /** A churn connection: closed as soon as it is established, counted apart. */
        private final boolean brief;
        private Phase phase = Phase.HANDSHAKING;
        private int recordsLeft = plan.records();
        private long echoSentAt;
        private long deadline;
        private long scheduled = Long.MAX_VALUE;
        private boolean socketClosed;

        Client(int index, long now, boolean brief) throws IOException {
            this.startedAt = now;
            this.brief = brief;
            this.channel = DatagramChannel.open();
            handshaking++;
            openCount++;
            peakOpen = Math.max(peakOpen, openCount);
            open.add(this);
            channel.configureBlocking(false);
            if (plan.sourceIps() > 1) {
                byte[] ip = {127, 0, 0, (byte) (1 + index % plan.sourceIps())};
                channel.bind(new InetSocketAddress(InetAddress.getByAddress(ip), 0));
            }
            channel.connect(plan.server());
            channel.register(selector, SelectionKey.OP_READ, this);
            this.connection = DtlsConnection.client(config, plan.server(), this::send, this);
            deadline = now + plan.timeout().toNanos();
            connection.start(now);
            reschedule();
        }

        private void send(byte[] buf, int off, int len) {
            sendBuffer.clear();
            sendBuffer.put(buf, off, len).flip();
            try {
                channel.write(sendBuffer);
            } catch (IOException e) {
                // A refused or full socket is loss, as on the network: the handshake's timer recovers it.
            }
        }

        /**
         * Reads one datagram. The selector is level-triggered, so it reports this socket again while more
         * are queued; reading until the socket is empty would spend one more system call per datagram (most
         * often an echo arrives alone) only to learn that.
         */
        void readOne() {
            if (phase == Phase.DONE) {
                return;
            }
            receiveBuffer.clear();
            int n;
            try {
                n = channel.read(receiveBuffer);
            } catch (PortUnreachableException e) {
                return; // the server's port was closed at some point: loss, and the timers decide
            } catch (IOException e) {
                if (phase == Phase.HANDSHAKING) {
                    fail("socket");
                }
                finish(System.nanoTime(), false);
                return;
            }
            if (n <= 0) {
                return;
            }
            receiveBuffer.flip();
            receiveBuffer.get(receiveArray, 0, n);
            connection.receive(receiveArray, 0, n, System.nanoTime());
            reschedule();
        }

        void onTimer(long now) {
            boolean awaiting = phase == Phase.HANDSHAKING || phase == Phase.ECHOING;
            if (awaiting && now - deadline >= 0) {
                if (phase == Phase.HANDSHAKING) {
                    fail("timeout");
                    finish(now, true);
                } else {
                    echoTimeouts++;
                    nextEcho(now);
                }
            } else {
                connection.onTimeout(now);
            }
            reschedule();
        }

        private void reschedule() {
            if (phase == Phase.DONE) {
                return;
            }
            long at = connection.nextTimeoutNanos();
            if (phase == Phase.HANDSHAKING || phase == Phase.ECHOING) {
                at = Math.min(at, deadline);
            }
            if (at != Long.MAX_VALUE && at != scheduled) {
                scheduled = at;
                timers.add(new Timer(at, this));
            }
        }

        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            long now = System.nanoTime();
            if (brief) {
                churned++;
                churnEnd = now;
                finish(now, true);
                return;
            }
            established++;
            handshaking--;
            lastHandshake = now;
            handshakeLatency.add(now - startedAt);
            if (plan.keep()) {
                phase = Phase.READY;
                ready.add(this);
            } else {
                echoing++;
                phase = Phase.ECHOING;
                nextEcho(now);
            }
        }

        void startEchoing(long now) {
            echoing++;
            phase = Phase.ECHOING;
            nextEcho(now);
            reschedule();
        }

        private void nextEcho(long now) {
            if (recordsLeft == 0 || connection.isClosed()) {
                if (plan.keep() && !connection.isClosed()) {
                    echoing--;
                    phase = Phase.READY; // stays open until the run ends
                    scheduled = Long.MAX_VALUE;
                } else {
                    finish(now, true); // leaves ECHOING, which gives back the slot
                }
                return;
            }
            recordsLeft--;
            if (firstEcho < 0) {
                firstEcho = now;
            }
            echoSentAt = now;
            deadline = now + plan.timeout().toNanos();
            recordsSent++;
            connection.send(payload, now);
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            if (phase != Phase.ECHOING) {
                return;
            }
            long now = System.nanoTime();
            recordsEchoed++;
            lastEcho = now;
            echoLatency.add(now - echoSentAt);
            nextEcho(now);
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            long now = System.nanoTime();
            if (phase == Phase.HANDSHAKING) {
                fail(cause == null ? "closed" : cause.alert().name() + (cause.receivedFromPeer() ? " (received)" : ""));
            } else if (phase == Phase.ECHOING) {
                echoTimeouts += recordsLeft + 1L;
                recordsLeft = 0;
            }
            finish(now, false);
        }

        /** Ends this client (close_notify when asked and still open); its socket closes at the next reap. */
        void finish(long now, boolean closeNotify) {
            if (phase == Phase.DONE) {
                return;
            }
            if (phase == Phase.HANDSHAKING) {
                handshaking--;
            } else if (phase == Phase.ECHOING) {
                echoing--;
            }
            phase = Phase.DONE;
            ready.remove(this);
            if (closeNotify && !connection.isClosed()) {
                connection.close(now);
            }
            finished.add(this);
        }

        void closeSocket() {
            if (socketClosed) {
                return;
            }
            socketClosed = true;
            openCount--;
            open.remove(this);
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
