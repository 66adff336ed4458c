using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>What the routing of a service amounts to, for badges and filters.</summary>
[Flags]
public enum RoutingTraits
{
    None = 0,
    SingleSubset = 1,
    Canary = 2,
    DarkLaunch = 4,
    BlueGreen = 8,
    Fault = 16,
    CircuitBreaker = 32,
    Mirror = 64,
}

/// <summary>
/// One Kubernetes Service as a release manager sees it: its pods, the DestinationRule subsets and the pods
/// each selects, the VirtualServices that route to it and the Gateways they bind, in words.
/// </summary>
public sealed record MeshService
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required string Fqdn { get; init; }

    public required KubeObject Service { get; init; }

    public required int Pods { get; init; }

    public required int ReadyPods { get; init; }

    public required ImmutableArray<SubsetInfo> Subsets { get; init; }

    public required ImmutableArray<DestinationRuleView> DestinationRules { get; init; }

    public required ImmutableArray<ServiceRoute> Routes { get; init; }

    public required ImmutableArray<GatewayView> Gateways { get; init; }

    /// <summary>The effective routing in words, one line per VirtualService.</summary>
    public required ImmutableArray<string> RoutingSummary { get; init; }

    public required RoutingTraits Traits { get; init; }

    /// <summary>Set when another controller owns the routing; the service is then read-only.</summary>
    public required string? ManagedBy { get; init; }

    public ImmutableArray<Finding> Findings { get; init; } = [];

    /// <summary>Whether the service fronts an application, a gateway or a system workload (<see cref="WorkloadRoles"/>).</summary>
    public WorkloadRole Role { get; init; } = WorkloadRole.App;

    public ObjectRef Ref => new(ResourceKind.Service, Namespace, Name);

    /// <summary>The VirtualService that routes mesh traffic (not gateway-only) for the service's own host.</summary>
    public ServiceRoute? MeshRoute => Routes.FirstOrDefault(r => r.VirtualService.AppliesToMesh && r.ServesOwnHost);
}

/// <summary>A pod label key and how many distinct values the service's pods carry for it.</summary>
public sealed record PodLabelSpread(string Key, int Values);

/// <summary>A DestinationRule subset and the pods its labels select.</summary>
public sealed record SubsetInfo(string Name, IReadOnlyDictionary<string, string> Labels, int Pods, int ReadyPods, string DestinationRule, TrafficPolicyView? TrafficPolicy);

/// <summary>A VirtualService that sends traffic to the service, and the rules that do.</summary>
public sealed record ServiceRoute(VirtualServiceView VirtualService, bool ServesOwnHost, ImmutableArray<HttpRouteView> Rules, string Summary);
