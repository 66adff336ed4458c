using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>Builds the per-service picture from a snapshot. Pure: the same snapshot gives the same catalog.</summary>
public static class ServiceCatalog
{
    public static ImmutableArray<MeshService> Build(MeshSnapshot snapshot) => MeshCatalog.Build(snapshot).Services;

    /// <summary>
    /// One service with its findings, from the snapshot's index (see <see cref="MeshIndex.Of"/>). The analyzer checks
    /// only the objects that belong to the service; <paramref name="withFindings"/> false skips even that.
    /// </summary>
    public static MeshService? Find(MeshSnapshot snapshot, string ns, string name, bool withFindings = true)
    {
        var service = snapshot.Find(ResourceKind.Service, ns, name);
        if (service is null)
        {
            return null;
        }
        var index = MeshIndex.Of(snapshot);
        var described = Describe(service, index);
        if (!withFindings)
        {
            return described;
        }
        var scope = MeshCatalog.OwnedBy(service, index);
        var findings = MeshCatalog.ByObject(MeshAnalyzer.Analyze(snapshot, index.Scoped(scope)));
        return described with { Findings = MeshCatalog.FindingsOf(service, index, o => findings.GetValueOrDefault(o, [])) };
    }

    internal static MeshService Describe(KubeObject service, MeshIndex index)
    {
        var fqdn = HostNames.ServiceFqdn(service.Namespace, service.Name);
        var pods = index.PodsOf(service);
        var destinationRules = index.DestinationRulesFor(fqdn);

        var subsets = destinationRules
            .SelectMany(dr => dr.Subsets.Select(s =>
            {
                var selected = pods.Where(p => s.Selects(p.Labels)).ToList();
                return new SubsetInfo(s.Name, s.Labels, selected.Count, selected.Count(MeshIndex.IsReady), dr.Name, s.TrafficPolicy);
            }))
            .ToImmutableArray();

        var routes = index.VirtualServicesRoutingTo(fqdn)
            .Select(vs =>
            {
                var rules = vs.Http.Where(r => r.Destinations.Any(d => HostNames.Resolve(d.Host, vs.Namespace) == fqdn)).ToImmutableArray();
                var ownHost = vs.Hosts.Any(h => HostNames.Resolve(h, vs.Namespace) == fqdn);
                string Name(RouteDestinationView d) => HostNames.Resolve(d.Host, vs.Namespace) == fqdn ? d.Subset ?? service.Name : d.Host;
                var words = RoutingDescriber.Describe(vs, Name);
                // Where the rules apply: the gateways by name, and the mesh (sidecars) when it is listed or no gateway is.
                var gatewayNames = vs.Gateways.Where(g => g != "mesh").ToList();
                var where = gatewayNames.Count == 0 ? "" : $"via {string.Join(", ", gatewayNames)}{(vs.AppliesToMesh ? " and in the mesh" : "")}";
                var prefix = string.Join(" ", new[] { ownHost ? "" : string.Join(", ", vs.Hosts), where }.Where(p => p.Length > 0));
                prefix = prefix.Length == 0 ? "" : prefix + ": ";
                return new ServiceRoute(vs, ownHost, rules, prefix + words);
            })
            .OrderByDescending(r => r.ServesOwnHost && r.VirtualService.AppliesToMesh)
            .ThenBy(r => r.VirtualService.Name, StringComparer.Ordinal)
            .ToImmutableArray();

        var gateways = routes
            .SelectMany(r => r.VirtualService.Gateways.Where(g => g != "mesh").Select(g => index.Gateway(g, r.VirtualService.Namespace)))
            .OfType<GatewayView>()
            .DistinctBy(g => (g.Namespace, g.Name))
            .ToImmutableArray();

        return new MeshService
        {
            Namespace = service.Namespace,
            Name = service.Name,
            Fqdn = fqdn,
            Service = service,
            Pods = pods.Count,
            ReadyPods = pods.Count(MeshIndex.IsReady),
            Subsets = subsets,
            DestinationRules = destinationRules,
            Routes = routes,
            Gateways = gateways,
            RoutingSummary = [.. routes.Select(r => r.Summary)],
            Traits = TraitsOf(routes, destinationRules),
            Role = WorkloadRoles.Of(service, pods),
            ManagedBy = ControllerOwnership.ManagedBy(routes.Select(r => r.VirtualService.Source).Concat(destinationRules.Select(d => d.Source)), index.Snapshot),
        };
    }

    /// <summary>
    /// The pod labels that could tell a service's versions apart, for setting up its subsets: keys outside the service's
    /// selector, each with how many distinct values the pods carry, most values first. Asked for one service on demand,
    /// not built into every snapshot's catalog.
    /// </summary>
    public static ImmutableArray<PodLabelSpread> LabelSpread(KubeObject service, IReadOnlyList<KubeObject> pods)
    {
        var selector = service.Spec.Obj("selector")?.Select(p => p.Key).ToHashSet() ?? [];
        return
        [
            .. pods.SelectMany(p => p.Labels)
                .Where(l => !selector.Contains(l.Key) && l.Key != "pod-template-hash")
                .GroupBy(l => l.Key, StringComparer.Ordinal)
                .Select(g => new PodLabelSpread(g.Key, g.Select(l => l.Value).Distinct(StringComparer.Ordinal).Count()))
                .OrderByDescending(s => s.Values)
                .ThenBy(s => s.Key, StringComparer.Ordinal),
        ];
    }

    private static RoutingTraits TraitsOf(ImmutableArray<ServiceRoute> routes, ImmutableArray<DestinationRuleView> destinationRules)
    {
        var traits = RoutingTraits.None;
        foreach (var route in routes)
        {
            foreach (var rule in route.Rules)
            {
                if (rule.Destinations.Count(d => (d.Weight ?? 0) > 0) > 1)
                {
                    traits |= RoutingTraits.Canary;
                }
                if (!rule.IsCatchAll)
                {
                    traits |= RoutingTraits.DarkLaunch;
                }
                if (rule.Fault is not null)
                {
                    traits |= RoutingTraits.Fault;
                }
                if (!rule.Mirrors.IsEmpty)
                {
                    traits |= RoutingTraits.Mirror;
                }
            }
        }

        // Blue/green: gateway hosts of one service served by different single subsets (live and preview).
        var gatewaySubsets = routes
            .Where(r => !r.VirtualService.AppliesToMesh || !r.ServesOwnHost)
            .Select(r => r.Rules.Where(x => x.IsCatchAll).Select(x => x.Destinations.Length == 1 ? x.Destinations[0].Subset : null).FirstOrDefault())
            .OfType<string>()
            .Distinct()
            .Count();
        if (gatewaySubsets > 1)
        {
            traits |= RoutingTraits.BlueGreen;
        }

        var allRules = routes.SelectMany(r => r.Rules).ToList();
        if (allRules.Count > 0 && allRules.All(r => r.Destinations.Select(d => d.Subset).Distinct().Count() == 1) &&
            allRules.Select(r => r.Destinations[0].Subset).Distinct().Count() == 1)
        {
            traits |= RoutingTraits.SingleSubset;
        }

        if (destinationRules.Any(dr => HasCircuitBreaker(dr.TrafficPolicy) || dr.Subsets.Any(s => HasCircuitBreaker(s.TrafficPolicy))))
        {
            traits |= RoutingTraits.CircuitBreaker;
        }
        return traits;
    }

    private static bool HasCircuitBreaker(TrafficPolicyView? policy) => policy?.OutlierDetection is not null || policy?.ConnectionPool is not null;
}
