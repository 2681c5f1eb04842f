package dev.stranglerkit.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy on 127.0.0.1 that a test controls, to make a real broker unreachable for
 * one application without stopping the broker: {@link #cut()} drops every connection and
 * refuses new ones (they are closed at once), {@link #restore()} lets them through again.
 * {@link #delayAnswers(Duration)} holds what the target sends back for a while, in order,
 * as a slow network does (a broker's confirms arrive late). Shared with other modules'
 * tests through this module's test jar.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private volatile Duration answerDelay = Duration.ZERO;

	public TcpProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	public void restore() {
		this.cut = false;
	}

	/**
	 * Holds every byte the target sends for this long before the client gets it (on
	 * connections opened from now on, and on those open, for what arrives from now on).
	 */
	public void delayAnswers(Duration delay) {
		this.answerDelay = delay;
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				this.sockets.add(client);
				this.sockets.add(upstream);
				Thread.ofVirtual().start(() -> pipe(client, upstream));
				Thread.ofVirtual().start(() -> delayLine(upstream, client));
			}
			catch (IOException ex) {
				// the server socket was closed, or the target refused: the client sees a
				// drop
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// one side closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	/**
	 * What the target sends, to the client, each chunk at the time it arrived plus the
	 * delay of that moment: a delay line, order kept.
	 */
	private void delayLine(Socket from, Socket to) {
		record Chunk(long due, byte[] bytes) {
		}
		BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
		Thread writer = Thread.ofVirtual().start(() -> {
			try (OutputStream out = to.getOutputStream()) {
				while (true) {
					Chunk chunk = line.take();
					long wait = chunk.due() - System.nanoTime();
					if (wait > 0) {
						Thread.sleep(Duration.ofNanos(wait));
					}
					if (chunk.bytes().length == 0) {
						return;
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// one side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		});
		try (InputStream in = from.getInputStream()) {
			byte[] buffer = new byte[16 * 1024];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				line.add(new Chunk(System.nanoTime() + this.answerDelay.toNanos(), Arrays.copyOf(buffer, read)));
			}
		}
		catch (IOException ex) {
			// one side closed
		}
		finally {
			line.add(new Chunk(System.nanoTime() + this.answerDelay.toNanos(), new byte[0]));
		}
		try {
			writer.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		cut();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
