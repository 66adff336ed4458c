using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>What every operation needs to know about its service, looked up once per plan.</summary>
internal sealed class ServiceContext
{
    private ServiceContext(MeshSnapshot snapshot, MeshIndex index, KubeObject service)
    {
        Snapshot = snapshot;
        Index = index;
        Service = service;
        Fqdn = HostNames.ServiceFqdn(service.Namespace, service.Name);
        DestinationRules = [.. index.DestinationRulesFor(Fqdn).OrderBy(d => d.Namespace, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal)];
        MeshVirtualService = index.VirtualServicesForHost(Fqdn)
            .Where(vs => vs.AppliesToMesh)
            .OrderBy(vs => vs.Name, StringComparer.Ordinal)
            .ThenBy(vs => vs.Namespace, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public MeshSnapshot Snapshot { get; }

    public MeshIndex Index { get; }

    public KubeObject Service { get; }

    public string Name => Service.Name;

    public string Namespace => Service.Namespace;

    public string Fqdn { get; }

    public ImmutableArray<DestinationRuleView> DestinationRules { get; }

    /// <summary>The VirtualService whose hosts include the service and that applies to sidecars; the first by name if several.</summary>
    public VirtualServiceView? MeshVirtualService { get; }

    public ImmutableHashSet<string> DefinedSubsets => [.. DestinationRules.SelectMany(d => d.Subsets).Select(s => s.Name)];

    public static ServiceContext For(MeshSnapshot snapshot, ObjectRef service)
    {
        if (service.Kind != ResourceKind.Service)
        {
            throw new OperationException([new FieldError("service", $"{service} is not a Service.")]);
        }
        var found = snapshot.Find(service) ?? throw new OperationException([new FieldError("service", $"Service {service.Namespace}/{service.Name} does not exist.")]);
        return new ServiceContext(snapshot, MeshIndex.Of(snapshot), found);
    }

    /// <summary>Whether a destination host written in an object of namespace <paramref name="ns"/> is this service.</summary>
    public bool IsThisService(string host, string ns) => HostNames.Resolve(host, ns) == Fqdn;

    /// <summary>How to write this service's host in an object of namespace <paramref name="ns"/>: short name at home, FQDN elsewhere.</summary>
    public string HostFor(string ns) => ns == Namespace ? Name : Fqdn;

    /// <summary>
    /// How to write this service's host in a new destination: as the given <paramref name="routes"/> already spell it
    /// (the first destination that is this service, in order), else <see cref="HostFor"/>. A route that says
    /// <c>reviews.bookinfo.svc.cluster.local</c> gets its new subsets spelled the same way.
    /// </summary>
    public string HostSpelling(string ns, IEnumerable<JsonArray?> routes) =>
        routes.SelectMany(r => r ?? []).OfType<JsonObject>()
            .Select(e => e.Obj("destination").Str("host"))
            .FirstOrDefault(h => h is not null && IsThisService(h, ns)) ?? HostFor(ns);

    /// <summary>Every route list of a VirtualService spec, in rule order: where to look for how it spells a host.</summary>
    public static IEnumerable<JsonArray?> RoutesOf(JsonObject? spec) =>
        (spec.Arr("http") ?? []).OfType<JsonObject>().Select(r => r.Arr("route"));

    public static JsonObject NewObject(ResourceKind kind, string ns, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = kind.ApiVersion(),
        ["kind"] = kind.ToString(),
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = spec,
    };

    /// <summary>
    /// Builds the plan: drops changes that change nothing, and refuses to edit objects another controller owns
    /// (it would revert the edit).
    /// </summary>
    public static ChangePlan Build(string summary, IEnumerable<ObjectChange> changes)
    {
        var real = changes.Where(c => !(c.Before is not null && c.After is not null && JsonNode.DeepEquals(c.Before.Raw, c.After))).ToImmutableArray();
        var managed = real.Select(c => c.Before is null ? null : ControllerOwnership.ManagedBy(c.Before)).OfType<string>().ToList();
        if (managed.Count > 0)
        {
            throw new OperationException([.. managed.Select(m => new FieldError("service", m))]);
        }
        return new ChangePlan(summary, real);
    }

    public static void ThrowIfAny(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new OperationException(errors);
        }
    }
}
