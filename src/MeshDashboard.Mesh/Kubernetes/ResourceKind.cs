namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>The kinds MeshDashboard reads. Istio kinds are read and written as <c>networking.istio.io/v1</c>.</summary>
public enum ResourceKind
{
    Namespace,
    Service,
    Pod,
    VirtualService,
    DestinationRule,
    Gateway,
    /// <summary>Argo Rollouts' Rollout: read only to know which VirtualServices and DestinationRules it rewrites.</summary>
    Rollout,
    /// <summary>Only the dashboard's own history ConfigMaps (one per edited service, and the recent-changes list), in its namespace; no other ConfigMap is read.</summary>
    ConfigMap,
}

public static class ResourceKinds
{
    public const string IstioGroup = "networking.istio.io";
    public const string IstioVersion = "v1";
    public const string ArgoRolloutsGroup = "argoproj.io";
    public const string ArgoRolloutsVersion = "v1alpha1";

    public static IReadOnlyList<ResourceKind> All { get; } = Enum.GetValues<ResourceKind>();

    public static bool IsIstio(this ResourceKind kind) => kind is ResourceKind.VirtualService or ResourceKind.DestinationRule or ResourceKind.Gateway;

    public static string Plural(this ResourceKind kind) => kind switch
    {
        ResourceKind.Namespace => "namespaces",
        ResourceKind.Service => "services",
        ResourceKind.Pod => "pods",
        ResourceKind.VirtualService => "virtualservices",
        ResourceKind.DestinationRule => "destinationrules",
        ResourceKind.Rollout => "rollouts",
        ResourceKind.ConfigMap => "configmaps",
        _ => "gateways",
    };

    public static string ApiVersion(this ResourceKind kind) => kind switch
    {
        _ when kind.IsIstio() => $"{IstioGroup}/{IstioVersion}",
        ResourceKind.Rollout => $"{ArgoRolloutsGroup}/{ArgoRolloutsVersion}",
        _ => "v1",
    };

    public static string ShortName(this ResourceKind kind) => kind switch
    {
        ResourceKind.VirtualService => "vs",
        ResourceKind.DestinationRule => "dr",
        ResourceKind.Gateway => "gw",
        ResourceKind.Service => "svc",
        ResourceKind.Pod => "pod",
        ResourceKind.Rollout => "ro",
        ResourceKind.ConfigMap => "cm",
        _ => "ns",
    };
}
