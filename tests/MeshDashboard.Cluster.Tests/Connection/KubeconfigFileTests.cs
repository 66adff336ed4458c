using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using MeshDashboard.Cluster.Connection;

namespace MeshDashboard.Cluster.Tests.Connection;

/// <summary>
/// Our reading of a kubeconfig must configure the client exactly as KubernetesClient's own reading of the same file
/// does; each case is a shape of kubeconfig kubectl accepts (kubectl's "kubectl config view" documentation and
/// client-go's clientcmd/api types name these fields).
/// </summary>
public sealed class KubeconfigFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("kubeconfig-tests-");

    public void Dispose() => _directory.Delete(recursive: true);

    private const string BasicAuth = """
        apiVersion: v1
        kind: Config
        current-context: a
        clusters:
        - {name: ca, cluster: {server: "https://a.example:443", insecure-skip-tls-verify: true}}
        contexts:
        - {name: a, context: {cluster: ca, user: ua}}
        users:
        - {name: ua, user: {username: admin, password: secret}}
        """;

    public static TheoryData<string, string?> Files => new()
    {
        // A token, the CA inline, a namespace on the context.
        { """
          apiVersion: v1
          kind: Config
          current-context: dev
          clusters:
          - name: dev-cluster
            cluster:
              server: https://10.0.0.1:6443
              certificate-authority-data: {CA_DATA}
          contexts:
          - name: dev
            context: {cluster: dev-cluster, user: dev-user, namespace: shop}
          users:
          - name: dev-user
            user: {token: abc.def.ghi}
          preferences: {}
          """, null },
        // Two contexts: the one asked for wins over the current one; the CA and client pair as files next to the kubeconfig.
        { """
          apiVersion: v1
          kind: Config
          current-context: a
          clusters:
          - {name: ca, cluster: {server: "https://a.example:443", insecure-skip-tls-verify: true}}
          - {name: cb, cluster: {server: "https://b.example:8443", certificate-authority: ca.crt, tls-server-name: api.internal}}
          contexts:
          - {name: a, context: {cluster: ca, user: ua}}
          - {name: b, context: {cluster: cb, user: ub, namespace: payments}}
          users:
          - {name: ua, user: {username: admin, password: secret}}
          - {name: ub, user: {client-certificate: client.crt, client-key: keys/client.key}}
          """, "b" },
        // A password user on the file's current context.
        { BasicAuth, null },
        // Unknown fields (a newer kubectl's, extensions) are ignored, as the library ignores them.
        { """
          apiVersion: v1
          kind: Config
          current-context: x
          clusters:
          - name: cx
            cluster:
              server: https://x.example
              insecure-skip-tls-verify: true
              proxy-url: http://proxy:3128
              extensions:
              - name: client.authentication.k8s.io/exec
                extension: {audience: mesh}
          contexts:
          - {name: x, context: {cluster: cx, user: ux}}
          users:
          - {name: ux, user: {token: t0k3n, as: someone}}
          """, null },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_ConfiguresTheClientAsTheLibrarysOwnReadingDoes(string text, string? context)
    {
        var path = Write(text);

        var ours = KubeconfigFile.Load(path, context);
        var library = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);

        Assert.Equal(Described(library), Described(ours));
    }

    [Fact]
    public void Load_OfAMissingFile_FailsAsTheLibraryDoes()
    {
        var missing = Path.Combine(_directory.FullName, "absent");

        var ours = Assert.Throws<KubeConfigException>(() => KubeconfigFile.Load(missing, null));
        var library = Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(missing));

        Assert.Equal(library.Message, ours.Message);
    }

    [Fact]
    public void Load_OfAnUnknownContext_FailsAsTheLibraryDoes()
    {
        var path = Write(BasicAuth);

        var ours = Assert.Throws<KubeConfigException>(() => KubeconfigFile.Load(path, "nowhere"));
        var library = Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(path, "nowhere"));

        Assert.Equal(library.Message, ours.Message);
    }

    private string Write(string text)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pem = ca.ExportCertificatePem();
        File.WriteAllText(Path.Combine(_directory.FullName, "ca.crt"), pem);
        File.WriteAllText(Path.Combine(_directory.FullName, "client.crt"), pem);
        Directory.CreateDirectory(Path.Combine(_directory.FullName, "keys"));
        File.WriteAllText(Path.Combine(_directory.FullName, "keys", "client.key"), key.ExportECPrivateKeyPem());
        var path = Path.Combine(_directory.FullName, $"config-{Guid.NewGuid():N}");
        File.WriteAllText(path, text.Replace("{CA_DATA}", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem)), StringComparison.Ordinal));
        return path;
    }

    // What the client is built from: every setting a kubeconfig can carry into it.
    private static string Described(KubernetesClientConfiguration c) => string.Join('\n',
        $"host={c.Host}", $"context={c.CurrentContext}", $"namespace={c.Namespace}", $"token={c.AccessToken}",
        $"user={c.Username}", $"password={c.Password}", $"skipTls={c.SkipTlsVerify}", $"tlsServerName={c.TlsServerName}",
        $"clientCert={c.ClientCertificateFilePath}", $"clientKey={c.ClientKeyFilePath}",
        $"clientCertData={c.ClientCertificateData}", $"clientKeyData={c.ClientCertificateKeyData}",
        $"ca={string.Join(',', c.SslCaCerts?.Select(cert => cert.Thumbprint) ?? [])}", $"tokenProvider={c.TokenProvider?.GetType().Name}");
}
