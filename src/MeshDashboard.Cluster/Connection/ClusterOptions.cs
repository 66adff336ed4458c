namespace MeshDashboard.Cluster.Connection;

public enum ClusterMode
{
    /// <summary>The embedded sandbox cluster (the default outside a cluster).</summary>
    Sandbox,
    /// <summary>A kubeconfig file and context, as kubectl uses.</summary>
    Kubeconfig,
    /// <summary>The pod's service account, when the dashboard runs inside the cluster.</summary>
    InCluster,
}

/// <summary>Configuration section <c>Cluster</c>: which cluster the dashboard talks to.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Null means: InCluster when running in a pod, Sandbox otherwise.</summary>
    public ClusterMode? Mode { get; set; }

    /// <summary>How long the watch may not hear from the cluster before /readyz answers 503 (a reconnect at once is no outage).</summary>
    public TimeSpan UnreachableGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Kubeconfig mode: the file (default: $KUBECONFIG or ~/.kube/config).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Kubeconfig mode: the context (default: the file's current context).</summary>
    public string? Context { get; set; }

    /// <summary>
    /// Send writes as the signed-in person (Impersonate-User/Group), so Kubernetes RBAC decides what they may
    /// change. The dashboard's service account then needs the <c>impersonate</c> verb (deploy/kubernetes/impersonation.yaml).
    /// </summary>
    public bool Impersonate { get; set; }

    public ClusterMode EffectiveMode =>
        Mode ?? (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } ? ClusterMode.InCluster : ClusterMode.Sandbox);
}
