package dev.stranglerkit.control;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The client side of an application's mutual TLS, following its SSL bundle when the
 * bundle's files change ({@code reload-on-update}). Spring Boot reloads the servers'
 * certificates (Tomcat, Netty), not the HTTP clients' (spring-boot#38608): a client built
 * from the bundle would present its first certificate until it expires. Here the key and
 * trust managers delegate to the bundle's current ones, so every new handshake presents
 * the newest certificate, while connections already open keep theirs (still valid: a
 * rotation does not revoke). A rotation also forgets the TLS sessions the clients cached:
 * a resumed session would carry on the identity of the certificate it began with.
 *
 * A handshake asks for an alias, then for that alias's chain and key: the alias names the
 * generation of certificates it came from, so that a rotation between the two calls
 * cannot pair a new chain with an old key.
 */
public final class RotatingClientTls {

	/**
	 * the generation new handshakes use, and the one before (for handshakes under way)
	 */
	private final AtomicReference<Generations> generations = new AtomicReference<>();

	private final X509ExtendedKeyManager keyManager = new Keys();

	private final X509ExtendedTrustManager trustManager = new Trust();

	private final SSLContext sslContext;

	private final List<SSLSessionContext> sessions = new CopyOnWriteArrayList<>();

	/**
	 * @param bundles the application's SSL bundles
	 * @param bundle the name of the bundle with its identity and the CA it trusts
	 */
	public RotatingClientTls(SslBundles bundles, String bundle) {
		update(bundles.getBundle(bundle));
		bundles.addBundleUpdateHandler(bundle, this::update);
		try {
			this.sslContext = SSLContext.getInstance("TLS");
			this.sslContext.init(new KeyManager[] { this.keyManager }, new TrustManager[] { this.trustManager }, null);
			forgetsSessionsOf(this.sslContext.getClientSessionContext());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("no TLS context: " + ex, ex);
		}
	}

	private void update(SslBundle bundle) {
		X509ExtendedKeyManager keys = Arrays.stream(bundle.getManagers().getKeyManagers())
			.filter(X509ExtendedKeyManager.class::isInstance)
			.map(X509ExtendedKeyManager.class::cast)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("the SSL bundle has no key (a client certificate)"));
		X509ExtendedTrustManager trust = Arrays.stream(bundle.getManagers().getTrustManagers())
			.filter(X509ExtendedTrustManager.class::isInstance)
			.map(X509ExtendedTrustManager.class::cast)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("the SSL bundle has no trust store (the kit's CA)"));
		this.generations.updateAndGet((before) -> (before != null)
				? new Generations(new Generation(before.current().number() + 1, keys, trust), before.current())
				: new Generations(new Generation(0, keys, trust), null));
		for (SSLSessionContext cached : this.sessions) {
			Collections.list(cached.getIds()).forEach((id) -> {
				SSLSession session = cached.getSession(id);
				if (session != null) {
					session.invalidate();
				}
			});
		}
	}

	/**
	 * Has a rotation forget the sessions a client's own TLS context caches (Netty's,
	 * built on {@link #keyManager()}), so that its next connection handshakes afresh.
	 */
	public void forgetsSessionsOf(SSLSessionContext sessions) {
		if (sessions != null) {
			this.sessions.add(sessions);
		}
	}

	/**
	 * @return a JDK SSL context that presents the current certificate
	 */
	public SSLContext sslContext() {
		return this.sslContext;
	}

	/**
	 * @return the key manager that presents the current certificate (for clients that
	 * build their own context, as Netty's)
	 */
	public X509ExtendedKeyManager keyManager() {
		return this.keyManager;
	}

	/**
	 * @return the trust manager of the current CA
	 */
	public X509ExtendedTrustManager trustManager() {
		return this.trustManager;
	}

	/**
	 * @return the certificate new handshakes present
	 */
	public X509Certificate certificate() {
		Generation generation = current();
		String alias = generation.keys().chooseClientAlias(new String[] { "EC", "RSA" }, null, null);
		X509Certificate[] chain = generation.keys().getCertificateChain(alias);
		return (chain != null && chain.length > 0) ? chain[0] : null;
	}

	private Generation current() {
		return this.generations.get().current();
	}

	private record Generations(Generation current, Generation previous) {
	}

	private record Generation(long number, X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {

		String alias(String alias) {
			return (alias != null) ? this.number + "/" + alias : null;
		}

	}

	/** an alias of a generation's key manager */
	private record Owned(Generation generation, String alias) {

		X509Certificate[] chain() {
			return (this.generation != null) ? this.generation.keys().getCertificateChain(this.alias) : null;
		}

		PrivateKey key() {
			return (this.generation != null) ? this.generation.keys().getPrivateKey(this.alias) : null;
		}

	}

	/** the generation an alias came from, and the delegate's own alias */
	private Owned resolve(String alias) {
		int slash = (alias != null) ? alias.indexOf('/') : -1;
		Generations now = this.generations.get();
		if (slash < 0) {
			return new Owned(now.current(), alias);
		}
		long number = Long.parseLong(alias.substring(0, slash));
		// (a handshake that outlived two rotations finds neither: it fails, as it should)
		Generation owner = (now.current().number() == number) ? now.current()
				: (now.previous() != null && now.previous().number() == number) ? now.previous() : null;
		return new Owned(owner, alias.substring(slash + 1));
	}

	private final class Keys extends X509ExtendedKeyManager {

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			Generation generation = RotatingClientTls.this.current();
			String[] aliases = generation.keys().getClientAliases(keyType, issuers);
			return (aliases != null) ? Arrays.stream(aliases).map(generation::alias).toArray(String[]::new) : null;
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			Generation generation = RotatingClientTls.this.current();
			return generation.alias(generation.keys().chooseClientAlias(keyType, issuers, socket));
		}

		@Override
		public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
			Generation generation = RotatingClientTls.this.current();
			return generation.alias(generation.keys().chooseEngineClientAlias(keyType, issuers, engine));
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return null;
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return resolve(alias).chain();
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return resolve(alias).key();
		}

	}

	private final class Trust extends X509ExtendedTrustManager {

		private X509ExtendedTrustManager trust() {
			return RotatingClientTls.this.current().trust();
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			trust().checkServerTrusted(chain, authType, socket);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			trust().checkServerTrusted(chain, authType, engine);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			trust().checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			trust().checkClientTrusted(chain, authType, socket);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			trust().checkClientTrusted(chain, authType, engine);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			trust().checkClientTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return trust().getAcceptedIssuers();
		}

	}

}
