/**
 * The server's side of a client's control stream, shared by the roles: {@code ControlStreamHandler}, the
 * base of the handlers that sit on it (a login session, a client attached to a secondary) with how such a
 * conversation ends (a protocol error, the client's end of stream, a closed connection, an ERROR followed by a
 * grace period), and {@code StreamPriorities}, which puts the control stream before chunk data. Imports no
 * other plugin package.
 */
package org.mpft.plugin.control;
