namespace MeshDashboard.Sandbox;

/// <summary>Writes a kubeconfig for the sandbox, so <c>kubectl --kubeconfig …</c> reaches it.</summary>
public static class Kubeconfig
{
    public static void Write(string path, Uri address)
    {
        var server = address.GetLeftPart(UriPartial.Authority);
        var content = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {SandboxCluster.ContextName}
              cluster:
                server: {server}
            users:
            - name: sandbox-admin
              user:
                # The sandbox serves loopback only and checks no credentials; clients still want one.
                token: meshdashboard-sandbox
            contexts:
            - name: {SandboxCluster.ContextName}
              context:
                cluster: {SandboxCluster.ContextName}
                user: sandbox-admin
                namespace: default
            current-context: {SandboxCluster.ContextName}
            preferences: {"{}"}

            """;
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
