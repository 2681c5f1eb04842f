package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one server (PostgreSQL, RabbitMQ) that the chaos run puts on a
 * hop and can slow down: while a delay is set, every chunk a client sends waits that long
 * before it goes on, so each request on the hop takes the delay once more; the answers
 * come back as they are. Real sockets on 127.0.0.1, a virtual thread per direction of
 * each connection. A connection the server refuses or drops is closed towards the client,
 * as the server would.
 */
final class FaultProxy implements AutoCloseable {

	private final String name;

	private final int upstream;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile long delayNanos;

	private FaultProxy(String name, int upstream) throws IOException {
		this.name = name;
		this.upstream = upstream;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
	}

	/**
	 * @param name what it stands in front of, for the report
	 * @param upstream the server's port on 127.0.0.1
	 */
	static FaultProxy start(String name, int upstream) {
		try {
			FaultProxy proxy = new FaultProxy(name, upstream);
			Thread.ofVirtual().name("fault-proxy-" + name).start(proxy::accept);
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not open the fault proxy for " + name, ex);
		}
	}

	String name() {
		return this.name;
	}

	/** the port clients connect to instead of the server's */
	int port() {
		return this.server.getLocalPort();
	}

	/** Slows every chunk a client sends by this much, until {@link #clear()}. */
	void delay(Duration delay) {
		this.delayNanos = delay.toNanos();
	}

	void clear() {
		this.delayNanos = 0;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Thread.ofVirtual().start(() -> connect(client));
			}
			catch (IOException ex) {
				return; // closed
			}
		}
	}

	private void connect(Socket client) {
		Socket server;
		try {
			server = new Socket(InetAddress.getLoopbackAddress(), this.upstream);
		}
		catch (IOException ex) {
			close(client);
			return;
		}
		this.sockets.add(client);
		this.sockets.add(server);
		Thread.ofVirtual().start(() -> pump(client, server, true));
		Thread.ofVirtual().start(() -> pump(server, client, false));
	}

	private void pump(Socket from, Socket to, boolean delayed) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				long delay = this.delayNanos;
				if (delayed && delay > 0) {
					Thread.sleep(Duration.ofNanos(delay));
				}
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// one side went away: the other goes too
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close(from);
			close(to);
		}
	}

	private void close(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closed already
		}
		this.sockets.forEach(this::close);
	}

}
