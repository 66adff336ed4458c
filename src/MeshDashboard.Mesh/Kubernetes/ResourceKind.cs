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
}

public static class ResourceKinds
{
    public const string IstioGroup = "networking.istio.io";
    public const string IstioVersion = "v1";

    public static IReadOnlyList<ResourceKind> All { get; } = Enum.GetValues<ResourceKind>();

    public static bool IsIstio(this ResourceKind kind) => kind is ResourceKind.VirtualService or ResourceKind.DestinationRule or ResourceKind.Gateway;

    public static string Plural(this ResourceKind kind) => kind switch
    {
        ResourceKind.Namespace => "namespaces",
        ResourceKind.Service => "services",
        ResourceKind.Pod => "pods",
        ResourceKind.VirtualService => "virtualservices",
        ResourceKind.DestinationRule => "destinationrules",
        _ => "gateways",
    };

    public static string ApiVersion(this ResourceKind kind) => kind.IsIstio() ? $"{IstioGroup}/{IstioVersion}" : "v1";

    public static string ShortName(this ResourceKind kind) => kind switch
    {
        ResourceKind.VirtualService => "vs",
        ResourceKind.DestinationRule => "dr",
        ResourceKind.Gateway => "gw",
        ResourceKind.Service => "svc",
        ResourceKind.Pod => "pod",
        _ => "ns",
    };
}
