package org.mpft.sshd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.junit.jupiter.api.Test;

/** What MINA's authenticators and file systems see of a channel's login. */
class SessionViewTest {

    @Test
    void itCarriesTheUserTheServersSettingsAndItsOwnAttributes() {
        SshServer server = SshServer.setUpDefaultServer();
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, 7);
        ServerSession session = SessionView.of(server, "alice", false);
        assertThat(session.getUsername()).isEqualTo("alice");
        assertThat(session.getFactoryManager()).isSameAs(server);
        assertThat(CoreModuleProperties.MAX_AUTH_REQUESTS.getRequired(session)).isEqualTo(7);
        assertThat(session.isAuthenticated()).isFalse();
        assertThat(session.getClientAddress()).isNull();
        assertThat(session.getRemoteAddress()).isNull();
        AttributeKey<String> key = new AttributeKey<>();
        assertThat(session.getAttribute(key)).isNull();
        session.setAttribute(key, "v");
        assertThat(session.getAttribute(key)).isEqualTo("v");
        assertThat(SessionView.of(server, "alice", true).getAttribute(key)).isNull();
    }

    @Test
    void whatNeedsALiveConnectionIsRefused() {
        ServerSession session = SessionView.of(SshServer.setUpDefaultServer(), "alice", true);
        assertThatThrownBy(session::getHostKey).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("getHostKey");
        assertThatThrownBy(() -> session.getActiveSessionCountForUser("alice"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
