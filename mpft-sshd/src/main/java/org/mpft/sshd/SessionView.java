package org.mpft.sshd;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSession;

/**
 * A {@link ServerSession} that is not an SSH connection: the view of one mpft login that MINA's
 * authenticators and file-system factories need, because their APIs take a session.
 *
 * <p>What it answers, and why these are the honest answers:
 * <ul>
 * <li>{@code getUsername()}: the user name the mpft client logs in with (what MINA's own session reports
 *     once the SSH {@code userauth} request names the user);</li>
 * <li>{@code getFactoryManager()} and the property resolver ({@code getParentPropertyResolver()},
 *     {@code getProperties()}): the server itself and an empty map of this view's own, so property
 *     look-ups such as {@code CoreModuleProperties} answer the server's settings;</li>
 * <li>attributes ({@code getAttribute}, {@code setAttribute}, {@code computeAttributeIfAbsent} ...):
 *     a map of this view's own, discarded with it (one view per call);</li>
 * <li>{@code isAuthenticated()}: false while an authenticator is asked, true for the file-system view
 *     of a user the channel has authenticated;</li>
 * <li>{@code getRemoteAddress()}, {@code getClientAddress()}, {@code getLocalAddress()}: {@code null}.
 *     {@code plugin-api} does not hand the QUIC client's address to the host, so no address is claimed;
 *     an authenticator that filters by address must refuse when it gets none (the adapter turns any
 *     exception of an authenticator into a refusal).</li>
 * </ul>
 * Everything else that a live SSH connection has (key exchange, channels, host key, writing packets,
 * client version, {@code AsyncAuthException}-style deferred answers) throws
 * {@link UnsupportedOperationException}, which the adapter treats as a refusal: an authenticator or file
 * system that needs the SSH transport itself cannot serve the mpft channel. Default methods of the
 * interface run as MINA defines them, on top of these answers.
 */
final class SessionView implements InvocationHandler {

    private final ServerFactoryManager server;
    private final String user;
    private final boolean authenticated;
    private final Map<AttributeKey<?>, Object> attributes = new ConcurrentHashMap<>();
    private final Map<String, Object> properties = new ConcurrentHashMap<>();

    private SessionView(ServerFactoryManager server, String user, boolean authenticated) {
        this.server = Objects.requireNonNull(server, "server");
        this.user = Objects.requireNonNull(user, "user");
        this.authenticated = authenticated;
    }

    /**
     * A session view for {@code user}.
     *
     * @param server        the SSH server whose settings the view reports
     * @param user          the user name
     * @param authenticated whether the channel has already authenticated the user
     */
    static ServerSession of(ServerFactoryManager server, String user, boolean authenticated) {
        return (ServerSession) Proxy.newProxyInstance(SessionView.class.getClassLoader(),
                new Class<?>[] {ServerSession.class}, new SessionView(server, user, authenticated));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int n = args == null ? 0 : args.length;
        switch (name) {
            case "getUsername":
                return user;
            case "getFactoryManager":
            case "getParentPropertyResolver":
                return server;
            case "getProperties":
                return properties;
            case "isAuthenticated":
                return authenticated;
            case "isOpen":
                return true;
            case "isServerSession":
                return true;
            case "getRemoteAddress":
            case "getClientAddress":
            case "getLocalAddress":
                return null;
            case "getAttribute":
                return n == 1 ? attributes.get(args[0]) : unsupported(method);
            case "setAttribute":
                return n == 2 ? attributes.put((AttributeKey<?>) args[0], args[1]) : unsupported(method);
            case "removeAttribute":
                return n == 1 ? attributes.remove(args[0]) : unsupported(method);
            case "computeAttributeIfAbsent":
                return n == 2 ? attributes.computeIfAbsent((AttributeKey<?>) args[0], (Function) args[1])
                        : unsupported(method);
            case "getAttributesCount":
                return attributes.size();
            case "attributeKeys":
                return java.util.Set.copyOf(attributes.keySet());
            case "clearAttributes":
                attributes.clear();
                return null;
            case "toString":
                return "mpft session view of user '" + user + "'";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                return unsupported(method);
        }
    }

    private static Object unsupported(Method method) {
        throw new UnsupportedOperationException("ServerSession." + method.getName()
                + " needs a live SSH connection; the mpft channel has none");
    }
}
