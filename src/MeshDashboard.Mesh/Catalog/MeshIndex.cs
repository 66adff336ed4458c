using System.Collections.Concurrent;
using System.Collections.Immutable;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>
/// Lookups over one snapshot: pods by label, Services by FQDN and selector, DestinationRules and VirtualServices by the
/// hosts they resolve to, VirtualServices by gateway. Every lookup is a persistent (immutable) map, so the index of the
/// next snapshot is this one with the changed objects' entries replaced (<see cref="With"/>): a watch event costs
/// what the event touches, not what the mesh holds, and two indexes share everything else.
/// </summary>
/// <remarks>
/// Entries are keyed by (namespace, name) with the snapshot's own ordering, so every list an index returns comes in
/// snapshot order, whether the index was built at once or event by event.
/// </remarks>
public sealed class MeshIndex
{
    private static readonly ImmutableSortedSet<(string, string)> NoKeys = ImmutableSortedSet<(string, string)>.Empty;

    // Pods by (namespace, label, value): a selector looks up the pods carrying one of its labels and checks the rest.
    private readonly ImmutableDictionary<(string Namespace, string Key, string Value), ImmutableSortedSet<(string, string)>> _podsByLabel;
    // Services by (namespace, key, value) of the first label of their selector: which Services a pod's labels may match.
    private readonly ImmutableDictionary<(string Namespace, string Key, string Value), ImmutableSortedSet<(string, string)>> _servicesBySelectorLabel;
    private readonly ImmutableDictionary<string, ObjectRef> _serviceByFqdn;
    private readonly ImmutableSortedDictionary<(string, string), DestinationRuleView> _destinationRules;
    private readonly ImmutableSortedDictionary<(string, string), VirtualServiceView> _virtualServices;
    private readonly ImmutableSortedDictionary<(string, string), GatewayView> _gateways;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> _destinationRulesByHost;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> _virtualServicesByDestination;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> _virtualServicesByHost;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> _virtualServicesByMirror;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> _virtualServicesByGateway;
    private readonly ConcurrentDictionary<ObjectRef, IReadOnlyList<KubeObject>> _podsOfService = new();

    // When set, the analyzer's view: only these VirtualServices, DestinationRules and Gateways are enumerated (and get
    // findings); every lookup still sees the whole mesh.
    private readonly ImmutableHashSet<ObjectRef>? _scope;

    public MeshIndex(MeshSnapshot snapshot)
        : this(Empty(snapshot).Edit(snapshot, AllRefs(snapshot)))
    {
    }

    private MeshIndex(Parts parts, ImmutableHashSet<ObjectRef>? scope = null)
    {
        Snapshot = parts.Snapshot;
        _podsByLabel = parts.PodsByLabel;
        _servicesBySelectorLabel = parts.ServicesBySelectorLabel;
        _serviceByFqdn = parts.ServiceByFqdn;
        _destinationRules = parts.DestinationRules;
        _virtualServices = parts.VirtualServices;
        _gateways = parts.Gateways;
        _destinationRulesByHost = parts.DestinationRulesByHost;
        _virtualServicesByDestination = parts.VirtualServicesByDestination;
        _virtualServicesByHost = parts.VirtualServicesByHost;
        _virtualServicesByMirror = parts.VirtualServicesByMirror;
        _virtualServicesByGateway = parts.VirtualServicesByGateway;
        _scope = scope;
    }

    public MeshSnapshot Snapshot { get; }

    // The index each snapshot already has (built by a catalog, or derived for a preview), so that code handed only a
    // snapshot (an operation's plan, a one-service lookup) does not build a second one.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MeshSnapshot, MeshIndex> Known = [];

    /// <summary>The snapshot's index: the one already made for it, or a new one (kept for the snapshot's lifetime).</summary>
    public static MeshIndex Of(MeshSnapshot snapshot) => Known.GetValue(snapshot, s => new MeshIndex(s));

    /// <summary>Makes <paramref name="index"/> the one <see cref="Of"/> answers for its snapshot.</summary>
    public static void Remember(MeshIndex index)
    {
        if (index._scope is null)
        {
            Known.TryAdd(index.Snapshot, index);
        }
    }

    /// <summary>The index of <paramref name="next"/>, which differs from this index's snapshot in <paramref name="changed"/> only.</summary>
    public MeshIndex With(MeshSnapshot next, IEnumerable<ObjectRef> changed) => new(Unscoped.Edit(next, changed));

    /// <summary>The same lookups, enumerating only the given objects (what the analyzer checks).</summary>
    public MeshIndex Scoped(ImmutableHashSet<ObjectRef> scope) => new(Unscoped, scope);

    private Parts Unscoped => new(Snapshot, _podsByLabel, _servicesBySelectorLabel, _serviceByFqdn, _destinationRules, _virtualServices, _gateways,
        _destinationRulesByHost, _virtualServicesByDestination, _virtualServicesByHost, _virtualServicesByMirror, _virtualServicesByGateway);

    public IEnumerable<DestinationRuleView> DestinationRules => InScope(_destinationRules, ResourceKind.DestinationRule);

    public IEnumerable<VirtualServiceView> VirtualServices => InScope(_virtualServices, ResourceKind.VirtualService);

    public IEnumerable<GatewayView> Gateways => InScope(_gateways, ResourceKind.Gateway);

    // Scoped, the objects are looked up one by one (in snapshot order): a check of what an event touched costs that,
    // not a walk over every object of the kind.
    private IEnumerable<T> InScope<T>(ImmutableSortedDictionary<(string, string), T> all, ResourceKind kind) =>
        _scope is null
            ? all.Values
            : _scope.Where(r => r.Kind == kind).Select(r => (r.Namespace, r.Name)).Where(all.ContainsKey).Order(all.KeyComparer).Select(k => all[k]);

    public static bool IsReady(KubeObject pod) =>
        pod.Pod?.IsReady ?? (pod.Raw["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray ?? [])
            .Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    /// <summary>The pods a Service selects, in snapshot order; a Service without a selector selects none.</summary>
    public IReadOnlyList<KubeObject> PodsOf(KubeObject service) => _podsOfService.GetOrAdd(service.Ref, _ =>
    {
        var selector = service.Spec.Obj("selector").ToStringMap();
        if (selector.Count == 0)
        {
            return [];
        }
        var first = FirstLabel(selector);
        return [.. _podsByLabel.GetValueOrDefault((service.Namespace, first.Key, first.Value), NoKeys)
            .Select(key => Snapshot.Find(ResourceKind.Pod, key.Item1, key.Item2))
            .OfType<KubeObject>()
            .Where(p => Selects(selector, p.Labels))];
    });

    /// <summary>The Services in the pod's namespace whose selector matches these labels.</summary>
    public IEnumerable<ObjectRef> ServicesSelecting(string ns, IReadOnlyDictionary<string, string> podLabels) =>
        podLabels
            .SelectMany(l => _servicesBySelectorLabel.GetValueOrDefault((ns, l.Key, l.Value), NoKeys))
            .Distinct()
            .Select(key => Snapshot.Find(ResourceKind.Service, key.Item1, key.Item2))
            .OfType<KubeObject>()
            .Where(s => Selects(s.Spec.Obj("selector").ToStringMap(), podLabels))
            .Select(s => s.Ref);

    public ImmutableArray<DestinationRuleView> DestinationRulesFor(string fqdn) =>
        [.. _destinationRulesByHost.GetValueOrDefault(fqdn, NoKeys).Select(k => _destinationRules[k])];

    /// <summary>VirtualServices with a route to the host, or whose own hosts include it.</summary>
    public IEnumerable<VirtualServiceView> VirtualServicesRoutingTo(string fqdn) =>
        _virtualServicesByDestination.GetValueOrDefault(fqdn, NoKeys).Union(_virtualServicesByHost.GetValueOrDefault(fqdn, NoKeys)).Select(k => _virtualServices[k]);

    public IEnumerable<VirtualServiceView> VirtualServicesForHost(string fqdn) =>
        _virtualServicesByHost.GetValueOrDefault(fqdn, NoKeys).Select(k => _virtualServices[k]);

    /// <summary>VirtualServices that name the host anywhere: as a host, a destination or a mirror.</summary>
    public IEnumerable<VirtualServiceView> VirtualServicesNaming(string fqdn) =>
        _virtualServicesByDestination.GetValueOrDefault(fqdn, NoKeys)
            .Union(_virtualServicesByHost.GetValueOrDefault(fqdn, NoKeys))
            .Union(_virtualServicesByMirror.GetValueOrDefault(fqdn, NoKeys))
            .Select(k => _virtualServices[k]);

    /// <summary>VirtualServices bound to the gateway (<c>namespace/name</c>).</summary>
    public IEnumerable<VirtualServiceView> VirtualServicesBoundTo(string gateway) =>
        _virtualServicesByGateway.GetValueOrDefault(gateway, NoKeys).Select(k => _virtualServices[k]);

    /// <summary>Resolves a VirtualService's gateway reference (<c>name</c> or <c>namespace/name</c>).</summary>
    public GatewayView? Gateway(string reference, string virtualServiceNamespace)
    {
        var (ns, name) = GatewayKey(reference, virtualServiceNamespace);
        return _gateways.GetValueOrDefault((ns, name));
    }

    public bool ServiceExists(string fqdn) => _serviceByFqdn.ContainsKey(fqdn);

    /// <summary>The Service with this cluster-local FQDN, if any.</summary>
    public KubeObject? ServiceByFqdn(string fqdn) => _serviceByFqdn.TryGetValue(fqdn, out var service) ? Snapshot.Find(service) : null;

    /// <summary>The Service an object belongs to (a DestinationRule's host, a VirtualService's host or destination).</summary>
    public ObjectRef? ServiceOf(ObjectRef obj)
    {
        switch (obj.Kind)
        {
            case ResourceKind.Service:
                return Snapshot.Find(obj) is null ? null : obj;
            case ResourceKind.DestinationRule when _destinationRules.TryGetValue((obj.Namespace, obj.Name), out var dr):
                return _serviceByFqdn.TryGetValue(HostNames.Resolve(dr.Host, dr.Namespace), out var owner) ? owner : null;
            case ResourceKind.VirtualService when _virtualServices.TryGetValue((obj.Namespace, obj.Name), out var vs):
                foreach (var host in vs.Hosts.Select(h => HostNames.Resolve(h, vs.Namespace)).Concat(vs.AllDestinations.Select(d => HostNames.Resolve(d.Host, vs.Namespace))))
                {
                    if (_serviceByFqdn.TryGetValue(host, out var service))
                    {
                        return service;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Every host a VirtualService names (own hosts, destinations, mirrors), resolved in its namespace.</summary>
    public static IEnumerable<string> HostsNamedBy(VirtualServiceView vs) =>
        vs.Hosts.Concat(vs.AllDestinations.Select(d => d.Host)).Concat(MirrorHosts(vs)).Select(h => HostNames.Resolve(h, vs.Namespace)).Distinct();

    /// <summary>The gateways a VirtualService is bound to, as <c>namespace/name</c> (the reserved <c>mesh</c> left out).</summary>
    public static IEnumerable<string> GatewaysOf(VirtualServiceView vs) =>
        vs.Gateways.Where(g => g != "mesh").Select(g => GatewayKey(g, vs.Namespace)).Select(k => $"{k.Namespace}/{k.Name}").Distinct();

    private static IEnumerable<string> MirrorHosts(VirtualServiceView vs) => vs.Http.SelectMany(r => r.Mirrors).Select(m => m.Destination.Host);

    private static (string Namespace, string Name) GatewayKey(string reference, string virtualServiceNamespace)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? (reference[..slash], reference[(slash + 1)..]) : (virtualServiceNamespace, reference);
    }

    private static KeyValuePair<string, string> FirstLabel(IReadOnlyDictionary<string, string> selector) =>
        selector.MinBy(l => l.Key, StringComparer.Ordinal);

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    private static IEnumerable<ObjectRef> AllRefs(MeshSnapshot snapshot) =>
        new[] { ResourceKind.Pod, ResourceKind.Service, ResourceKind.DestinationRule, ResourceKind.VirtualService, ResourceKind.Gateway }
            .SelectMany(kind => snapshot.Of(kind).Select(o => o.Ref));

    private static Parts Empty(MeshSnapshot snapshot) => new(
        MeshSnapshot.Empty,
        ImmutableDictionary<(string, string, string), ImmutableSortedSet<(string, string)>>.Empty,
        ImmutableDictionary<(string, string, string), ImmutableSortedSet<(string, string)>>.Empty,
        ImmutableDictionary<string, ObjectRef>.Empty,
        ImmutableSortedDictionary<(string, string), DestinationRuleView>.Empty,
        ImmutableSortedDictionary<(string, string), VirtualServiceView>.Empty,
        ImmutableSortedDictionary<(string, string), GatewayView>.Empty,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Empty,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Empty,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Empty,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Empty,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Empty);

    /// <summary>The maps of one index; <see cref="Edit"/> takes out what the old objects put in and puts in the new ones.</summary>
    private sealed record Parts(
        MeshSnapshot Snapshot,
        ImmutableDictionary<(string Namespace, string Key, string Value), ImmutableSortedSet<(string, string)>> PodsByLabel,
        ImmutableDictionary<(string Namespace, string Key, string Value), ImmutableSortedSet<(string, string)>> ServicesBySelectorLabel,
        ImmutableDictionary<string, ObjectRef> ServiceByFqdn,
        ImmutableSortedDictionary<(string, string), DestinationRuleView> DestinationRules,
        ImmutableSortedDictionary<(string, string), VirtualServiceView> VirtualServices,
        ImmutableSortedDictionary<(string, string), GatewayView> Gateways,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> DestinationRulesByHost,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> VirtualServicesByDestination,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> VirtualServicesByHost,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> VirtualServicesByMirror,
        ImmutableDictionary<string, ImmutableSortedSet<(string, string)>> VirtualServicesByGateway)
    {
        public Parts Edit(MeshSnapshot next, IEnumerable<ObjectRef> changed)
        {
            var podsByLabel = PodsByLabel.ToBuilder();
            var servicesBySelector = ServicesBySelectorLabel.ToBuilder();
            var serviceByFqdn = ServiceByFqdn.ToBuilder();
            var destinationRules = DestinationRules.ToBuilder();
            var virtualServices = VirtualServices.ToBuilder();
            var gateways = Gateways.ToBuilder();
            var drsByHost = DestinationRulesByHost.ToBuilder();
            var vsByDestination = VirtualServicesByDestination.ToBuilder();
            var vsByHost = VirtualServicesByHost.ToBuilder();
            var vsByMirror = VirtualServicesByMirror.ToBuilder();
            var vsByGateway = VirtualServicesByGateway.ToBuilder();

            foreach (var reference in changed.Distinct())
            {
                var key = (reference.Namespace, reference.Name);
                var before = Snapshot.Find(reference);
                var after = next.Find(reference);
                switch (reference.Kind)
                {
                    case ResourceKind.Pod:
                        foreach (var label in before?.Labels ?? Empty)
                        {
                            Remove(podsByLabel, (reference.Namespace, label.Key, label.Value), key);
                        }
                        foreach (var label in after?.Labels ?? Empty)
                        {
                            Add(podsByLabel, (reference.Namespace, label.Key, label.Value), key);
                        }
                        break;
                    case ResourceKind.Service:
                        var fqdn = HostNames.ServiceFqdn(reference.Namespace, reference.Name);
                        if (before is not null && SelectorKey(before) is { } oldSelector)
                        {
                            Remove(servicesBySelector, oldSelector, key);
                        }
                        serviceByFqdn.Remove(fqdn);
                        if (after is not null)
                        {
                            serviceByFqdn[fqdn] = reference;
                            if (SelectorKey(after) is { } newSelector)
                            {
                                Add(servicesBySelector, newSelector, key);
                            }
                        }
                        break;
                    case ResourceKind.DestinationRule:
                        if (destinationRules.TryGetValue(key, out var oldDr))
                        {
                            Remove(drsByHost, HostNames.Resolve(oldDr.Host, oldDr.Namespace), key);
                            destinationRules.Remove(key);
                        }
                        if (after is not null)
                        {
                            var dr = DestinationRuleView.From(after);
                            destinationRules[key] = dr;
                            Add(drsByHost, HostNames.Resolve(dr.Host, dr.Namespace), key);
                        }
                        break;
                    case ResourceKind.VirtualService:
                        if (virtualServices.TryGetValue(key, out var oldVs))
                        {
                            ForEachVsKey(oldVs, (map, host) => Remove(map, host, key), vsByDestination, vsByHost, vsByMirror, vsByGateway);
                            virtualServices.Remove(key);
                        }
                        if (after is not null)
                        {
                            var vs = VirtualServiceView.From(after);
                            virtualServices[key] = vs;
                            ForEachVsKey(vs, (map, host) => Add(map, host, key), vsByDestination, vsByHost, vsByMirror, vsByGateway);
                        }
                        break;
                    case ResourceKind.Gateway:
                        gateways.Remove(key);
                        if (after is not null)
                        {
                            gateways[key] = GatewayView.From(after);
                        }
                        break;
                }
            }

            return new Parts(next, podsByLabel.ToImmutable(), servicesBySelector.ToImmutable(), serviceByFqdn.ToImmutable(), destinationRules.ToImmutable(),
                virtualServices.ToImmutable(), gateways.ToImmutable(), drsByHost.ToImmutable(), vsByDestination.ToImmutable(), vsByHost.ToImmutable(),
                vsByMirror.ToImmutable(), vsByGateway.ToImmutable());
        }

        private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

        private static (string, string, string)? SelectorKey(KubeObject service)
        {
            var selector = service.Spec.Obj("selector").ToStringMap();
            if (selector.Count == 0)
            {
                return null;
            }
            var first = FirstLabel(selector);
            return (service.Namespace, first.Key, first.Value);
        }

        private delegate void KeyEdit<TKey>(ImmutableDictionary<TKey, ImmutableSortedSet<(string, string)>>.Builder map, TKey host) where TKey : notnull;

        private static void ForEachVsKey(
            VirtualServiceView vs,
            KeyEdit<string> edit,
            ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Builder byDestination,
            ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Builder byHost,
            ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Builder byMirror,
            ImmutableDictionary<string, ImmutableSortedSet<(string, string)>>.Builder byGateway)
        {
            foreach (var host in vs.AllDestinations.Select(d => HostNames.Resolve(d.Host, vs.Namespace)).Distinct())
            {
                edit(byDestination, host);
            }
            foreach (var host in vs.Hosts.Select(h => HostNames.Resolve(h, vs.Namespace)).Distinct())
            {
                edit(byHost, host);
            }
            foreach (var host in MirrorHosts(vs).Select(h => HostNames.Resolve(h, vs.Namespace)).Distinct())
            {
                edit(byMirror, host);
            }
            foreach (var gateway in GatewaysOf(vs))
            {
                edit(byGateway, gateway);
            }
        }

        private static void Add<TKey>(ImmutableDictionary<TKey, ImmutableSortedSet<(string, string)>>.Builder map, TKey key, (string, string) member) where TKey : notnull =>
            map[key] = map.GetValueOrDefault(key, NoKeys).Add(member);

        private static void Remove<TKey>(ImmutableDictionary<TKey, ImmutableSortedSet<(string, string)>>.Builder map, TKey key, (string, string) member) where TKey : notnull
        {
            if (map.TryGetValue(key, out var members))
            {
                var left = members.Remove(member);
                if (left.IsEmpty)
                {
                    map.Remove(key);
                }
                else
                {
                    map[key] = left;
                }
            }
        }
    }
}
