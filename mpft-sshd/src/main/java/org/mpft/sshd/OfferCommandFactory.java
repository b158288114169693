package org.mpft.sshd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.mpft.api.Authenticator;
import org.mpft.api.HostException;
import org.mpft.api.Principal;
import org.mpft.api.SessionOffers;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH exec requests the host answers: the command of a started channel's {@link SessionOffers} (mpft's
 * {@code mpft-offer}, optionally followed by arguments such as {@code --tokens 4}), run for the user SSH has
 * authenticated on that connection; the session offer is printed on the channel's standard output and the
 * command exits 0. Bad arguments are named on standard error with exit 2, a refused offer with exit 1. Every
 * other command is refused (the exec
 * request fails, as on a host without exec), so SFTP stays the only other thing the SSH port serves. Install it
 * with {@code server.setCommandFactory(...)}; {@link MpftSshd#offerCommands()} makes one for its channels.
 */
public final class OfferCommandFactory implements CommandFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OfferCommandFactory.class);

    private final Supplier<List<SessionOffers>> offers;
    private final Authenticator users;

    /**
     * @param offers the started channels' offers (asked at each request: channels start after SSH)
     * @param users  the host's users, to turn the SSH user name into the host's principal
     */
    public OfferCommandFactory(Supplier<List<SessionOffers>> offers, Authenticator users) {
        this.offers = Objects.requireNonNull(offers, "offers");
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) throws IOException {
        String line = command == null ? "" : command.strip();
        List<String> words = line.isEmpty() ? List.of() : List.of(line.split("\\s+"));
        for (SessionOffers offer : offers.get()) {
            if (!words.isEmpty() && offer.command().equals(words.get(0))) {
                return new OfferCommand(offer, words.subList(1, words.size()));
            }
        }
        LOG.warn("exec refused: user '{}' from {} asked for {}", channel.getSession().getUsername(),
                channel.getSession().getClientAddress(), printable(line));
        throw new IOException("exec is not supported on this host except for its channels' offer commands");
    }

    /** The command as a log may show it: control characters replaced, at most 80 characters. */
    private static String printable(String command) {
        String shown = command.length() > 80 ? command.substring(0, 80) + "..." : command;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** Prints one offer for the connection's SSH user and exits. */
    private final class OfferCommand implements Command {

        private final SessionOffers offer;
        private final List<String> arguments;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        OfferCommand(SessionOffers offer, List<String> arguments) {
            this.offer = offer;
            this.arguments = List.copyOf(arguments);
        }

        @Override
        public void setInputStream(java.io.InputStream in) {
            // the command reads nothing
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            // MINA has authenticated this user on this connection: the offer is minted for them alone
            String user = channel.getSession().getUsername();
            int code;
            try {
                Principal principal = users.lookup(user);
                out.write(offer.offer(principal, arguments).getBytes(StandardCharsets.UTF_8));
                out.flush();
                LOG.info("session offer ({}{}) for user '{}' from {}", offer.command(),
                        arguments.isEmpty() ? "" : " " + printable(String.join(" ", arguments)), user,
                        channel.getSession().getClientAddress());
                code = 0;
            } catch (IllegalArgumentException e) {
                error(e.getMessage());
                code = 2;
            } catch (HostException e) {
                LOG.warn("session offer ({}) refused for user '{}' from {}: {}", offer.command(), user,
                        channel.getSession().getClientAddress(), e.getMessage());
                error(e.getMessage());
                code = 1;
            }
            exit.onExit(code);
        }

        private void error(String message) throws IOException {
            err.write((offer.command() + ": " + message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        }

        @Override
        public void destroy(ChannelSession channel) {
            // nothing held
        }
    }
}
