using System.Collections.Immutable;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>
/// Lookups over one snapshot, built once: pods by namespace, DestinationRules and VirtualServices by the
/// host they resolve to. Keeps catalog building linear in the number of objects, so thousands of
/// services stay fast.
/// </summary>
public sealed class MeshIndex
{
    private readonly MeshSnapshot _snapshot;
    // Pods by (namespace, label, value): a selector looks up the pods carrying its first label and checks the rest,
    // instead of scanning every pod of the namespace for every service.
    private readonly ILookup<(string Namespace, string Key, string Value), KubeObject> _podsByLabel;
    private readonly Dictionary<ObjectRef, IReadOnlyList<KubeObject>> _podsOfService = [];
    private readonly ILookup<string, DestinationRuleView> _destinationRulesByHost;
    private readonly ILookup<string, VirtualServiceView> _virtualServicesByDestination;
    private readonly ILookup<string, VirtualServiceView> _virtualServicesByHost;
    private readonly Dictionary<ObjectRef, ObjectRef> _serviceOfObject = [];
    private readonly Dictionary<string, KubeObject> _serviceByFqdn;

    public MeshIndex(MeshSnapshot snapshot)
    {
        _snapshot = snapshot;
        _podsByLabel = snapshot.Of(ResourceKind.Pod)
            .SelectMany(p => p.Labels.Select(l => (Key: (p.Namespace, l.Key, l.Value), Pod: p)))
            .ToLookup(e => e.Key, e => e.Pod);
        DestinationRules = [.. snapshot.Of(ResourceKind.DestinationRule).Select(DestinationRuleView.From)];
        VirtualServices = [.. snapshot.Of(ResourceKind.VirtualService).Select(VirtualServiceView.From)];
        Gateways = [.. snapshot.Of(ResourceKind.Gateway).Select(GatewayView.From)];
        _destinationRulesByHost = DestinationRules.ToLookup(dr => HostNames.Resolve(dr.Host, dr.Namespace));
        _virtualServicesByDestination = VirtualServices
            .SelectMany(vs => vs.AllDestinations.Select(d => (Host: HostNames.Resolve(d.Host, vs.Namespace), vs)).Distinct())
            .ToLookup(p => p.Host, p => p.vs);
        _virtualServicesByHost = VirtualServices
            .SelectMany(vs => vs.Hosts.Select(h => (Host: HostNames.Resolve(h, vs.Namespace), vs)))
            .ToLookup(p => p.Host, p => p.vs);

        _serviceByFqdn = snapshot.Of(ResourceKind.Service).ToDictionary(s => HostNames.ServiceFqdn(s.Namespace, s.Name));
        var services = _serviceByFqdn.ToDictionary(p => p.Key, p => p.Value.Ref);
        foreach (var dr in DestinationRules)
        {
            if (services.TryGetValue(HostNames.Resolve(dr.Host, dr.Namespace), out var owner))
            {
                _serviceOfObject[dr.Source.Ref] = owner;
            }
        }
        foreach (var vs in VirtualServices)
        {
            var target = vs.Hosts.Select(h => HostNames.Resolve(h, vs.Namespace))
                .Concat(vs.AllDestinations.Select(d => HostNames.Resolve(d.Host, vs.Namespace)))
                .FirstOrDefault(services.ContainsKey);
            if (target is not null)
            {
                _serviceOfObject[vs.Source.Ref] = services[target];
            }
        }
        foreach (var service in services.Values)
        {
            _serviceOfObject[service] = service;
        }
    }

    public MeshSnapshot Snapshot => _snapshot;

    public ImmutableArray<DestinationRuleView> DestinationRules { get; }

    public ImmutableArray<VirtualServiceView> VirtualServices { get; }

    public ImmutableArray<GatewayView> Gateways { get; }

    public static bool IsReady(KubeObject pod) =>
        (pod.Raw["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray ?? [])
            .Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    /// <summary>The pods a Service selects; a Service without a selector selects none.</summary>
    public IReadOnlyList<KubeObject> PodsOf(KubeObject service)
    {
        if (_podsOfService.TryGetValue(service.Ref, out var known))
        {
            return known;
        }
        var selector = service.Spec.Obj("selector").ToStringMap();
        IReadOnlyList<KubeObject> pods = selector.Count == 0
            ? []
            : _podsByLabel[(service.Namespace, selector.First().Key, selector.First().Value)]
                .Where(p => selector.All(s => p.Labels.TryGetValue(s.Key, out var v) && v == s.Value))
                .ToList();
        _podsOfService[service.Ref] = pods;
        return pods;
    }

    public ImmutableArray<DestinationRuleView> DestinationRulesFor(string fqdn) => [.. _destinationRulesByHost[fqdn]];

    /// <summary>VirtualServices with a route to the host, or whose own hosts include it.</summary>
    public IEnumerable<VirtualServiceView> VirtualServicesRoutingTo(string fqdn) =>
        _virtualServicesByDestination[fqdn].Concat(_virtualServicesByHost[fqdn]).DistinctBy(vs => vs.Source.Ref);

    public IEnumerable<VirtualServiceView> VirtualServicesForHost(string fqdn) => _virtualServicesByHost[fqdn];

    /// <summary>Resolves a VirtualService's gateway reference (<c>name</c> or <c>namespace/name</c>).</summary>
    public GatewayView? Gateway(string reference, string virtualServiceNamespace)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash >= 0 ? (reference[..slash], reference[(slash + 1)..]) : (virtualServiceNamespace, reference);
        return _snapshot.Find(ResourceKind.Gateway, ns, name) is { } gateway ? GatewayView.From(gateway) : null;
    }

    public bool ServiceExists(string fqdn) => _serviceByFqdn.ContainsKey(fqdn);

    /// <summary>The Service with this cluster-local FQDN, if any.</summary>
    public KubeObject? ServiceByFqdn(string fqdn) => _serviceByFqdn.GetValueOrDefault(fqdn);

    /// <summary>The Service an object belongs to (a DestinationRule's host, a VirtualService's host or destination).</summary>
    public ObjectRef? ServiceOf(ObjectRef obj) => _serviceOfObject.TryGetValue(obj, out var service) ? service : null;
}
