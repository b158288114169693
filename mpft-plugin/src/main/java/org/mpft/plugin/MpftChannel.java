package org.mpft.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mpft.api.ChannelStartException;
import org.mpft.api.HostContext;
import org.mpft.api.TransferChannel;
import org.pf4j.Extension;

/**
 * The mpft transfer channel: reads the {@code mpft.*} settings, then runs an {@link MpftInstance} until
 * {@link #stop()}. PF4J creates it through its public no-argument constructor.
 */
@Extension
public final class MpftChannel implements TransferChannel {

    private MpftInstance server;

    /** Called by PF4J. */
    public MpftChannel() {
    }

    @Override
    public String name() {
        return "mpft";
    }

    @Override
    public synchronized void start(HostContext context) throws ChannelStartException {
        if (server != null) {
            throw new ChannelStartException("the mpft channel is already started");
        }
        MpftSettings settings = MpftSettings.parse(context.configuration());
        server = MpftInstance.start(settings, context);
    }

    /**
     * Every problem of the {@code mpft.*} settings and the files they name (TLS certificate and key, cluster
     * secret), each naming the key and the file; nothing is bound, created or changed.
     */
    @Override
    public List<String> checkConfiguration(Map<String, String> configuration, Path dataFolder) {
        return PluginConfigCheck.problems(configuration, dataFolder);
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
