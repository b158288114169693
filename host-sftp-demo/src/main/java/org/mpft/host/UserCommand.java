package org.mpft.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mpft-host user add|del|list}: administers the users file named by the config. */
@Command(name = "user", description = "Add, delete or list users.", mixinStandardHelpOptions = true,
        subcommands = {UserCommand.Add.class, UserCommand.Del.class, UserCommand.ListUsers.class})
final class UserCommand {

    private UserCommand() {
    }

    /** What every user subcommand shares: the config file, the store, error reporting. */
    abstract static class Base implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the host's config file")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        HostSettings settings;

        @Override
        public final Integer call() throws IOException {
            try {
                settings = HostSettings.load(config);
            } catch (SettingsException e) {
                return fail("config " + config + ": " + e.getMessage(), HostMain.EXIT_CONFIG);
            }
            UserStore store;
            try {
                store = UserStore.open(settings.usersFile());
            } catch (IOException e) {
                return fail("config " + config + ": key '" + HostSettings.USERS_FILE + "': " + e.getMessage(),
                        HostMain.EXIT_CONFIG);
            }
            return run(store, spec.commandLine().getOut());
        }

        abstract int run(UserStore store, PrintWriter out) throws IOException;

        int fail(String message, int code) {
            spec.commandLine().getErr().println("mpft-host: " + message);
            return code;
        }
    }

    /** Adds a user, or replaces one of the same name. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add or replace a user. Without any --read/--write, the user reads and writes its whole home.")
    static final class Add extends Base {

        @Parameters(paramLabel = "USER", description = "user name: [a-z_][a-z0-9_.-]{0,31}")
        String user;

        @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable holding the password")
        String passwordEnv;

        @Option(names = "--authorized-keys", paramLabel = "FILE", description = "OpenSSH authorized_keys file")
        Path authorizedKeys;

        @Option(names = "--read", paramLabel = "PATH", description = "readable path, relative to the home (/ = whole home)")
        List<String> read = new ArrayList<>();

        @Option(names = "--write", paramLabel = "PATH", description = "writable path, relative to the home (/ = whole home)")
        List<String> write = new ArrayList<>();

        @Override
        int run(UserStore store, PrintWriter out) throws IOException {
            if (!UserAccount.isValidName(user)) {
                return fail("invalid user name '" + user + "' (expected " + UserAccount.NAME + ")", HostMain.EXIT_CONFIG);
            }
            if (passwordEnv == null && authorizedKeys == null) {
                return fail("give --password-env VAR, --authorized-keys FILE or both", HostMain.EXIT_CONFIG);
            }
            String hash = null;
            if (passwordEnv != null) {
                String password = System.getenv(passwordEnv);
                if (password == null || password.isEmpty()) {
                    return fail("environment variable " + passwordEnv + " is not set or empty", HostMain.EXIT_CONFIG);
                }
                char[] chars = password.toCharArray();
                hash = PasswordHasher.hash(chars);
                PasswordHasher.clear(chars);
            }
            Path keys = null;
            if (authorizedKeys != null) {
                keys = authorizedKeys.toAbsolutePath().normalize();
                if (!Files.isReadable(keys)) {
                    return fail("--authorized-keys: cannot read " + keys, HostMain.EXIT_CONFIG);
                }
                if (AuthorizedKeys.read(keys).isEmpty()) {
                    return fail("--authorized-keys: no usable key in " + keys, HostMain.EXIT_CONFIG);
                }
            }
            AccessRules rules;
            try {
                rules = read.isEmpty() && write.isEmpty() ? AccessRules.WHOLE_HOME : AccessRules.of(read, write);
            } catch (IllegalArgumentException e) {
                return fail(e.getMessage(), HostMain.EXIT_CONFIG);
            }
            boolean replaced = store.put(new UserAccount(user, hash, keys, rules));
            Files.createDirectories(settings.dataDir().resolve(user));
            out.println("user " + user + (replaced ? " replaced" : " added") + " in " + settings.usersFile());
            return 0;
        }
    }

    /** Deletes a user (its home stays). */
    @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete a user; its home folder stays.")
    static final class Del extends Base {

        @Parameters(paramLabel = "USER", description = "user name")
        String user;

        @Override
        int run(UserStore store, PrintWriter out) throws IOException {
            if (!store.remove(user)) {
                return fail("no such user: " + user, HostMain.EXIT_FAILURE);
            }
            out.println("user " + user + " deleted");
            return 0;
        }
    }

    /** Lists users: name, login methods, rules. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users, one per line.")
    static final class ListUsers extends Base {

        @Override
        int run(UserStore store, PrintWriter out) {
            for (UserAccount u : store.all().values()) {
                List<String> logins = new ArrayList<>();
                if (u.passwordHash() != null) {
                    logins.add("password");
                }
                if (u.authorizedKeys() != null) {
                    logins.add("keys=" + u.authorizedKeys());
                }
                out.println(u.name() + "\t" + String.join(",", logins) + "\tread=" + rules(u.rules().read())
                        + "\twrite=" + rules(u.rules().write()));
            }
            return 0;
        }

        private static String rules(List<String> rules) {
            return String.join(",", rules.stream().map(r -> "/" + r).toList());
        }
    }
}
