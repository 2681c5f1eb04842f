package dev.stranglerkit.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PkiTests {

	@TempDir
	Path dir;

	@Test
	void issuesEachApplicationACertificateNamedByItsIdentityAndSignedByTheKitsCa() throws Exception {
		Pki pki = new Pki(this.dir.resolve("pki"));
		pki.issue("gateway", Duration.ofDays(1));
		pki.issue("monolith", Duration.ofDays(1));
		X509Certificate ca = Pki.read(pki.caCertificate());
		X509Certificate gateway = Pki.read(pki.certificate("gateway"));
		gateway.verify(ca.getPublicKey());
		gateway.checkValidity();
		assertThat(Pki.identities(gateway)).containsExactly("spiffe://strangler-kit/gateway");
		assertThat(Pki.identities(Pki.read(pki.certificate("monolith"))))
			.containsExactly("spiffe://strangler-kit/monolith");
		assertThat(gateway.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
		assertThat(ca.getBasicConstraints()).isZero();
		assertThat(gateway.getBasicConstraints()).isEqualTo(-1);
		assertThat(Files.readString(pki.privateKey("gateway"))).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(Files.getPosixFilePermissions(pki.privateKey("gateway"))).containsExactlyInAnyOrder(
				java.nio.file.attribute.PosixFilePermission.OWNER_READ,
				java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
	}

	@Test
	void aCertificateOfAnotherCaDoesNotVerify() throws Exception {
		Pki ours = new Pki(this.dir.resolve("ours"));
		Pki theirs = new Pki(this.dir.resolve("theirs"));
		ours.issue("gateway", Duration.ofDays(1));
		theirs.issue("gateway", Duration.ofDays(1));
		X509Certificate impostor = Pki.read(theirs.certificate("gateway"));
		assertThat(Pki.identities(impostor)).containsExactly("spiffe://strangler-kit/gateway");
		assertThatExceptionOfType(SignatureException.class)
			.isThrownBy(() -> impostor.verify(Pki.read(ours.caCertificate()).getPublicKey()));
	}

	@Test
	void keepsAValidCertificateAndRenewsAnExpiredOneUnderTheSameCa() throws Exception {
		Path pkiDir = this.dir.resolve("pki");
		Instant now = Instant.parse("2026-12-06T00:00:00Z");
		Pki today = new Pki(pkiDir, Clock.fixed(now, ZoneOffset.UTC));
		assertThat(today.ensure("monolith", Duration.ofDays(1))).isTrue();
		X509Certificate first = Pki.read(today.certificate("monolith"));
		String ca = Files.readString(today.caCertificate());
		assertThat(today.ensure("monolith", Duration.ofDays(1))).isFalse();
		Pki twoDaysLater = new Pki(pkiDir, Clock.fixed(now.plus(Duration.ofDays(2)), ZoneOffset.UTC));
		assertThat(twoDaysLater.ensure("monolith", Duration.ofDays(1))).isTrue();
		X509Certificate renewed = Pki.read(today.certificate("monolith"));
		assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
		assertThat(Files.readString(today.caCertificate())).isEqualTo(ca);
		renewed.verify(Pki.read(today.caCertificate()).getPublicKey());
	}

}
