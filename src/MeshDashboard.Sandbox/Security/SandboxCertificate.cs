using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshDashboard.Sandbox.Security;

/// <summary>
/// The sandbox's own TLS certificate, made at first start and kept (with its key) in the data directory.
/// TLS is what makes the token usable: client-go (kubectl) sends a kubeconfig's credentials only to an
/// https server, as kube-apiserver only serves its secure port. The kubeconfig pins this certificate.
/// </summary>
internal static class SandboxCertificate
{
    public const string FileName = "tls.pfx";

    public static X509Certificate2 LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            try
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            }
            catch (CryptographicException)
            {
                // A damaged file is replaced; the kubeconfig is rewritten with the new certificate at every start.
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + SandboxCluster.ContextName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        // Its own authority: the kubeconfig lists it as certificate-authority-data, and clients trust exactly it.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var pfx = created.Export(X509ContentType.Pfx);
        Storage.PrivateFiles.WriteAtomically(path, pfx);
        // Loaded back from the PKCS#12 bytes so the key is usable by TLS on every platform, not only as an ephemeral key.
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }
}
