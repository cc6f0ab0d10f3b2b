package io.duetdb.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test PKI written as PEM files: a CA, a node certificate for 127.0.0.1/localhost (used by every
 * node as server and as client), a client certificate from the same CA, and a client certificate
 * from another CA (to be refused).
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    /** A certificate and its PKCS#8 key, as PEM files. */
    public record Pair(Path certFile, Path keyFile) {
    }

    public final Path caFile;
    public final Pair node;
    public final Pair client;
    public final Pair strangerClient;

    private TestCertificates(final Path caFile, final Pair node, final Pair client, final Pair strangerClient) {
        this.caFile = caFile;
        this.node = node;
        this.client = client;
        this.strangerClient = strangerClient;
    }

    public static TestCertificates create(final Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            final KeyPair caKeys = keys();
            final X509Certificate ca = issue("CN=duet test CA", caKeys, "CN=duet test CA", caKeys.getPrivate(), true);
            final Path caFile = writePem(dir.resolve("ca.pem"), ca);
            final KeyPair otherCaKeys = keys();
            return new TestCertificates(caFile,
                leaf(dir, "node", "CN=duet node", caKeys.getPrivate()),
                leaf(dir, "client", "CN=duet client", caKeys.getPrivate()),
                leaf(dir, "stranger", "CN=stranger", otherCaKeys.getPrivate()));
        } catch (final GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("generating test certificates", e);
        }
    }

    private static Pair leaf(final Path dir, final String name, final String subject, final PrivateKey issuerKey)
        throws GeneralSecurityException, OperatorCreationException, IOException {
        final KeyPair keys = keys();
        final X509Certificate cert = issue(subject, keys, "CN=duet test CA", issuerKey, false);
        final Path certFile = writePem(dir.resolve(name + ".pem"), cert);
        final Path keyFile = writePem(dir.resolve(name + "-key.pem"), new JcaPKCS8Generator(keys.getPrivate(), null));
        return new Pair(certFile, keyFile);
    }

    private static KeyPair keys() throws GeneralSecurityException {
        final KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate issue(final String subject, final KeyPair subjectKeys, final String issuer,
                                         final PrivateKey issuerKey, final boolean isCa)
        throws GeneralSecurityException, OperatorCreationException, IOException {
        final Instant now = Instant.now();
        final X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
            BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        final ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static Path writePem(final Path file, final Object object) throws IOException {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(object);
        }
        return Files.writeString(file, text.toString());
    }
}
