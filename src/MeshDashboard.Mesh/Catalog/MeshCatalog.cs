using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>
/// Everything the dashboard derives from one snapshot: the index, every service's picture and the analyzer's findings
/// per object. <see cref="Next"/> derives the catalog of the following snapshot from the objects that changed:
/// it re-describes only the services those objects touch and re-checks only the Istio objects that name their hosts,
/// and shares every other service (the same object, so pages comparing rows by reference skip them) and finding.
/// The result equals <see cref="Build"/> of the same snapshot; tests hold the two to that.
/// </summary>
public sealed class MeshCatalog
{
    private static readonly ImmutableSortedDictionary<(string, string), MeshService> NoServices = ImmutableSortedDictionary<(string, string), MeshService>.Empty;

    private readonly ImmutableSortedDictionary<(string Namespace, string Name), MeshService> _services;
    private readonly ImmutableDictionary<ObjectRef, ImmutableArray<Finding>> _findings;
    private readonly Lazy<ImmutableArray<MeshService>> _serviceList;
    private readonly Lazy<ImmutableArray<Finding>> _findingList;

    private MeshCatalog(MeshIndex index, ImmutableSortedDictionary<(string, string), MeshService> services, ImmutableDictionary<ObjectRef, ImmutableArray<Finding>> findings)
    {
        Index = index;
        _services = services;
        _findings = findings;
        _serviceList = new(() => [.. _services.Values]);
        _findingList = new(() => Ordered(_findings.Values.SelectMany(f => f)));
        MeshIndex.Remember(index);
    }

    public MeshSnapshot Snapshot => Index.Snapshot;

    public MeshIndex Index { get; }

    /// <summary>Every service, in snapshot order (namespace, name).</summary>
    public ImmutableArray<MeshService> Services => _serviceList.Value;

    /// <summary>Every finding, by code, then by object.</summary>
    public ImmutableArray<Finding> Findings => _findingList.Value;

    public int ServiceCount => _services.Count;

    public MeshService? Find(string ns, string name) => _services.GetValueOrDefault((ns, name));

    /// <summary>The catalog of a snapshot, from nothing.</summary>
    public static MeshCatalog Build(MeshSnapshot snapshot)
    {
        var index = MeshIndex.Of(snapshot);
        var findings = ByObject(MeshAnalyzer.Analyze(snapshot, index));
        var services = NoServices.ToBuilder();
        foreach (var service in snapshot.Of(ResourceKind.Service))
        {
            services[(service.Namespace, service.Name)] = Describe(service, index, findings);
        }
        return new MeshCatalog(index, services.ToImmutable(), findings);
    }

    /// <summary>
    /// The catalog of <paramref name="next"/>, which differs from this catalog's snapshot in the <paramref name="changed"/>
    /// objects only; null (not known what changed) builds from nothing.
    /// </summary>
    public MeshCatalog Next(MeshSnapshot next, IReadOnlyCollection<ObjectRef>? changed)
    {
        // A Rollout decides which VirtualServices another controller owns, anywhere; both are rare: start over.
        if (changed is null || changed.Any(r => r.Kind is ResourceKind.Rollout))
        {
            return Build(next);
        }
        var relevant = changed.Where(r => r.Kind is ResourceKind.Pod or ResourceKind.Service or ResourceKind.DestinationRule or ResourceKind.VirtualService or ResourceKind.Gateway).ToList();
        var index = Index.With(next, relevant);
        if (relevant.Count == 0)
        {
            return new MeshCatalog(index, _services, _findings);
        }

        var hosts = new HashSet<string>(StringComparer.Ordinal);
        var services = new HashSet<ObjectRef>();
        var scope = new HashSet<ObjectRef>();
        foreach (var reference in relevant)
        {
            // What the object named before the change and what it names after, so a moved reference updates both ends.
            foreach (var side in new[] { Index, index })
            {
                if (side.Snapshot.Find(reference) is not { } obj)
                {
                    continue;
                }
                switch (reference.Kind)
                {
                    case ResourceKind.Pod:
                        services.UnionWith(side.ServicesSelecting(obj.Namespace, obj.Labels));
                        break;
                    case ResourceKind.Service:
                        services.Add(reference);
                        hosts.Add(HostNames.ServiceFqdn(obj.Namespace, obj.Name));
                        break;
                    case ResourceKind.DestinationRule:
                        scope.Add(reference);
                        hosts.Add(HostNames.Resolve(obj.Spec.Str("host") ?? "", obj.Namespace));
                        break;
                    case ResourceKind.VirtualService:
                        scope.Add(reference);
                        hosts.UnionWith(MeshIndex.HostsNamedBy(Istio.VirtualServiceView.From(obj)));
                        break;
                    case ResourceKind.Gateway:
                        scope.Add(reference);
                        foreach (var bound in side.VirtualServicesBoundTo($"{obj.Namespace}/{obj.Name}"))
                        {
                            scope.Add(bound.Source.Ref);
                            hosts.UnionWith(MeshIndex.HostsNamedBy(bound));
                        }
                        break;
                }
            }
        }
        foreach (var service in services)
        {
            hosts.Add(HostNames.ServiceFqdn(service.Namespace, service.Name));
        }
        foreach (var host in hosts)
        {
            scope.UnionWith(index.DestinationRulesFor(host).Select(dr => dr.Source.Ref));
            scope.UnionWith(index.VirtualServicesNaming(host).Select(vs => vs.Source.Ref));
            if (index.ServiceByFqdn(host) is { } service)
            {
                services.Add(service.Ref);
            }
        }

        var rechecked = ByObject(MeshAnalyzer.Analyze(next, index.Scoped([.. scope])));
        var findings = _findings.RemoveRange(scope).SetItems(rechecked.Where(f => scope.Contains(f.Key)));
        // A service shows the findings of the objects that belong to it: any whose findings or owner may have changed.
        foreach (var obj in scope)
        {
            if (Index.ServiceOf(obj) is { } before)
            {
                services.Add(before);
            }
            if (index.ServiceOf(obj) is { } after)
            {
                services.Add(after);
            }
        }

        var described = _services.ToBuilder();
        foreach (var reference in services)
        {
            if (next.Find(reference) is { } service)
            {
                described[(reference.Namespace, reference.Name)] = Describe(service, index, findings);
            }
            else
            {
                described.Remove((reference.Namespace, reference.Name));
            }
        }
        return new MeshCatalog(index, described.ToImmutable(), findings);
    }

    /// <summary>One service with the findings of the objects that belong to it (itself, its DestinationRules, the VirtualServices it owns).</summary>
    private static MeshService Describe(KubeObject service, MeshIndex index, ImmutableDictionary<ObjectRef, ImmutableArray<Finding>> findings)
    {
        var entry = ServiceCatalog.Describe(service, index);
        var own = FindingsOf(service, index, f => findings.GetValueOrDefault(f, []));
        return own.IsEmpty ? entry : entry with { Findings = own };
    }

    /// <summary>The findings of the objects that belong to a service, ordered as <see cref="Findings"/> orders them.</summary>
    internal static ImmutableArray<Finding> FindingsOf(KubeObject service, MeshIndex index, Func<ObjectRef, IEnumerable<Finding>> findingsOfObject)
    {
        return Ordered(OwnedBy(service, index).SelectMany(findingsOfObject));
    }

    /// <summary>The objects whose findings a service shows: itself, its DestinationRules, the VirtualServices it owns.</summary>
    internal static ImmutableHashSet<ObjectRef> OwnedBy(KubeObject service, MeshIndex index)
    {
        var fqdn = HostNames.ServiceFqdn(service.Namespace, service.Name);
        return
        [
            service.Ref,
            .. index.DestinationRulesFor(fqdn).Select(dr => dr.Source.Ref),
            .. index.VirtualServicesRoutingTo(fqdn).Select(vs => vs.Source.Ref).Where(vs => index.ServiceOf(vs) == service.Ref),
        ];
    }

    internal static ImmutableDictionary<ObjectRef, ImmutableArray<Finding>> ByObject(IEnumerable<Finding> findings) =>
        findings.GroupBy(f => f.Object).ToImmutableDictionary(g => g.Key, g => g.ToImmutableArray());

    // Codes are numbered in the analyzer's checker order; within a code, by object; within an object, as the checker found them.
    private static ImmutableArray<Finding> Ordered(IEnumerable<Finding> findings) =>
    [
        .. findings
            .OrderBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.Object.Kind)
            .ThenBy(f => f.Object.Namespace, StringComparer.Ordinal)
            .ThenBy(f => f.Object.Name, StringComparer.Ordinal),
    ];
}
