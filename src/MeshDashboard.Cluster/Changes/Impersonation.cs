namespace MeshDashboard.Cluster.Changes;

/// <summary>The identity Kubernetes should judge a write by (Impersonate-User / Impersonate-Group).</summary>
public sealed record ClusterIdentity(string User, IReadOnlyList<string> Groups);

/// <summary>
/// Carries the caller's identity from the role check down to the writes of one change, without threading it
/// through every signature between them. Set only when <c>Cluster:Impersonate</c> is on; the writer then sends
/// the impersonation headers so Kubernetes RBAC decides. History records keep the dashboard's own identity.
/// </summary>
public static class ImpersonationScope
{
    private static readonly AsyncLocal<ClusterIdentity?> Identity = new();

    public static ClusterIdentity? Current => Identity.Value;

    public static IDisposable Use(ClusterIdentity identity)
    {
        var previous = Identity.Value;
        Identity.Value = identity;
        return new Restore(previous);
    }

    private sealed class Restore(ClusterIdentity? previous) : IDisposable
    {
        public void Dispose() => Identity.Value = previous;
    }
}
