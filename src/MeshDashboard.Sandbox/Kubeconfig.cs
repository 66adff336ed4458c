using System.Security.Cryptography.X509Certificates;
using System.Text;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox;

/// <summary>
/// Writes a kubeconfig for the sandbox, so <c>kubectl --kubeconfig …</c> reaches it. It carries the sandbox's
/// token, so it is as private as the token file (owner read/write only), and pins the sandbox's TLS certificate.
/// </summary>
public static class Kubeconfig
{
    public static void Write(string path, Uri address, string token, X509Certificate2 certificate)
    {
        var server = address.GetLeftPart(UriPartial.Authority);
        var authority = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        var content = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {SandboxCluster.ContextName}
              cluster:
                server: {server}
                certificate-authority-data: {authority}
            users:
            - name: sandbox-admin
              user:
                token: "{token}"
            contexts:
            - name: {SandboxCluster.ContextName}
              context:
                cluster: {SandboxCluster.ContextName}
                user: sandbox-admin
                namespace: default
            current-context: {SandboxCluster.ContextName}
            preferences: {"{}"}

            """;
        PrivateFiles.WriteAtomically(path, content);
    }
}
