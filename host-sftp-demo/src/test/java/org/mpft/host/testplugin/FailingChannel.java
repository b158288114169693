package org.mpft.host.testplugin;

import org.mpft.api.ChannelStartException;
import org.mpft.api.HostContext;
import org.mpft.api.TransferChannel;

/** A test channel that never starts, as a plugin with a bad setting would. */
public class FailingChannel implements TransferChannel {

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public void start(HostContext context) throws ChannelStartException {
        throw new ChannelStartException("test.port: port 1 is not available");
    }

    @Override
    public void stop() {
    }
}
