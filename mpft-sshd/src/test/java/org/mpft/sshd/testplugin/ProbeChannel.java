package org.mpft.sshd.testplugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mpft.api.HostContext;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.api.TransferChannel;

/**
 * A test channel, packed into a plugin jar by the tests: at start it logs in as alice through the host,
 * reads {@code hello.txt} through the host and writes what it got (and its setting) into its data folder.
 */
public class ProbeChannel implements TransferChannel {

    private Path dataFolder;

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public void start(HostContext context) {
        dataFolder = context.dataFolder();
        write("setting", String.valueOf(context.configuration().get("probe.greeting")));
        try {
            Principal alice = context.authenticator().authenticatePassword("alice", "alice-pw".toCharArray());
            try (ReadableFile f = context.fileAccess().openForRead(alice, "hello.txt")) {
                ByteBuffer buf = ByteBuffer.allocate((int) f.size());
                f.read(buf, 0);
                write("read", alice.name() + ":" + new String(buf.array(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            write("read", "failed: " + e);
        }
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
