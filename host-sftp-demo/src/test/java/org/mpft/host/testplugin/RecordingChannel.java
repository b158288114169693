package org.mpft.host.testplugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mpft.api.ChannelStartException;
import org.mpft.api.HostContext;
import org.mpft.api.TransferChannel;

/** A test channel, packed into a plugin jar by the tests: records start and stop in its data folder. */
public class RecordingChannel implements TransferChannel {

    private Path dataFolder;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public void start(HostContext context) throws ChannelStartException {
        dataFolder = context.dataFolder();
        write("started", String.valueOf(context.configuration().get("greeting")));
    }

    @Override
    public void stop() {
        if (dataFolder != null) {
            write("stopped", "yes");
        }
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dataFolder.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
