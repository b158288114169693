package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatagramSizesTest {

    @Test
    void loopbackUsesTheLoopbackInterfaceMtuUpToTheLargestQuicPacket() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int mtu = NetworkInterface.getByInetAddress(loopback).getMTU();
        assertThat(DatagramSizes.forAddress(loopback)).isEqualTo(Math.min(mtu - 48, 16383))
                .isGreaterThan(TransportSettings.ETHERNET_PAYLOAD); // Linux: MTU 65536, so quiche's 16383
        assertThat(DatagramSizes.toward(loopback, TransportSettings.defaults()).maxUdpPayload())
                .isEqualTo(DatagramSizes.forAddress(loopback));
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0", "::", "10.77.1.1", "192.0.2.7", "2001:db8::1"})
    void anyOtherAddressGetsTheEthernetPayload(String address) throws Exception {
        assertThat(DatagramSizes.forAddress(InetAddress.getByName(address))).isEqualTo(1452);
        TransportSettings d = TransportSettings.defaults();
        assertThat(DatagramSizes.toward(InetAddress.getByName(address), d)).isSameAs(d);
    }

    @ParameterizedTest
    @CsvSource({"1500, 1452", "9000, 8952", "65536, 65488", "100000, 65507", "1280, 1232", "576, 1200"})
    void payloadIsTheMtuLessTheHeadersWithinWhatQuicAndUdpAllow(int mtu, int payload) {
        assertThat(DatagramSizes.payloadForMtu(mtu)).isEqualTo(payload);
    }
}
