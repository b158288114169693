/**
 * The host TCK: {@link org.mpft.api.tck.HostContextContract}, abstract JUnit 5 tests of the
 * {@code plugin-api} contract (logins, path checks, links, rights, and the same answers as the host's own
 * protocol), run by a host against its own {@link org.mpft.api.HostContext} through a small
 * {@link org.mpft.api.tck.HostFixture}. Shipped as this module's test-jar.
 */
package org.mpft.api.tck;
