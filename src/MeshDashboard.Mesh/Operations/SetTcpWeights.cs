using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Sets the weights of one TCP route (<c>spec.tcp[Route]</c>, 0-based) of the service's mesh VirtualService, with the
/// rules <see cref="SetWeights"/> applies (whole numbers totalling 100, every subset defined) and the same
/// destination-keeping edit (<see cref="Weights.Destinations"/>): order, host spelling and other fields stay.
/// </summary>
/// <remarks>
/// TCP destinations usually name a port (a TCP service often has several); an added destination takes the port the
/// route's destinations of this service already share, so it reaches the same port.
/// </remarks>
public sealed record SetTcpWeights(ObjectRef Service, int Route, IReadOnlyDictionary<string, int> Weights) : ITrafficOperation
{
    /// <summary>The route's fingerprint as read (<c>L4RouteView.Fingerprint</c>); when given, a route changed since is a conflict.</summary>
    public string? Fingerprint { get; init; }

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        Operations.Weights.Validate(Weights, "weights", context.DefinedSubsets, errors);
        var vs = context.MeshVirtualService;
        if (vs is null || vs.Tcp.IsEmpty)
        {
            errors.Add(new FieldError("route", $"{context.Name} has no mesh VirtualService with TCP routes"));
        }
        else if (Route < 0 || Route >= vs.Tcp.Length)
        {
            errors.Add(new FieldError("route", $"VirtualService {vs.Name} has TCP routes 0 to {vs.Tcp.Length - 1}, not {Route}"));
        }
        ServiceContext.ThrowIfAny(errors);
        if (Fingerprint is not null && vs!.Tcp[Route].Fingerprint != Fingerprint)
        {
            throw new OperationException([new FieldError("fingerprint", $"TCP route {Route} of VirtualService {vs.Name} changed since it was read; reload and apply again")])
            {
                IsConflict = true,
            };
        }

        var raw = vs!.Source.CloneRaw();
        var spec = raw.GetOrAddObject("spec");
        var route = (JsonObject)spec.Arr("tcp")![Route]!;
        var existing = route.Arr("route");
        var spelling = context.HostSpelling(vs.Namespace, [existing, .. (spec.Arr("tcp") ?? []).OfType<JsonObject>().Select(r => r.Arr("route")), .. ServiceContext.RoutesOf(spec)]);
        var written = Operations.Weights.Destinations(Weights, existing, context, vs.Namespace, spelling);
        AddSharedPort(written, existing, context, vs.Namespace);
        route["route"] = written;
        return ServiceContext.Build($"{context.Name}: TCP route {Route} weights {Operations.Weights.Describe(Weights)}", [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
    }

    /// <summary>Gives destinations added by this edit the port this service's existing destinations all use, if they agree on one.</summary>
    private static void AddSharedPort(JsonArray written, JsonArray? existing, ServiceContext context, string ns)
    {
        var ours = (existing ?? []).OfType<JsonObject>().Select(e => e.Obj("destination")).OfType<JsonObject>().Where(d => context.IsThisService(d.Str("host") ?? "", ns)).ToList();
        var ports = ours.Select(d => d.Obj("port")?.ToJsonString()).Distinct().ToList();
        if (ports is not [{ } port])
        {
            return;
        }
        var before = ours.Select(d => d.Str("subset")).ToHashSet();
        foreach (var destination in written.OfType<JsonObject>().Select(e => e.Obj("destination")).OfType<JsonObject>())
        {
            if (destination["port"] is null && !before.Contains(destination.Str("subset")) && context.IsThisService(destination.Str("host") ?? "", ns))
            {
                destination["port"] = JsonNode.Parse(port);
            }
        }
    }
}
