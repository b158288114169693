package org.mpft.transport;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import java.util.Locale;

/**
 * The congestion controllers quiche offers through Netty QUIC, by the name a setting uses. The sender's
 * controller is the one that matters: chunk data flows from the server to the client.
 */
public enum CongestionControl {
    /** quiche's BBR: paces by the measured bandwidth and round trip, little affected by random loss. */
    BBR(QuicCongestionControlAlgorithm.BBR),
    /** CUBIC (RFC 9438): loss-based, the Linux TCP default. */
    CUBIC(QuicCongestionControlAlgorithm.CUBIC),
    /** NewReno (RFC 9002): loss-based, halves its window on loss. */
    RENO(QuicCongestionControlAlgorithm.RENO);

    private final QuicCongestionControlAlgorithm algorithm;

    CongestionControl(QuicCongestionControlAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** The name in settings and logs: {@code bbr}, {@code cubic}, {@code reno}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm given to the codec builder. */
    QuicCongestionControlAlgorithm algorithm() {
        return algorithm;
    }
}
