using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Sets the weights of the default route (the catch-all rule) of the service's mesh VirtualService; creates
/// that VirtualService when there is none. Other rules and every unmodelled field stay as they are.
/// </summary>
/// <remarks>
/// The default route is the first rule without a match: Istio stops at the first rule that fits, so that is the
/// rule that serves "everyone else" (rules after it are unreachable, see MD006). Without a catch-all rule a
/// rule named "default" is appended.
/// </remarks>
public sealed record SetWeights(ObjectRef Service, IReadOnlyDictionary<string, int> Weights) : ITrafficOperation
{
    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        Operations.Weights.Validate(Weights, "weights", context.DefinedSubsets, errors);
        ServiceContext.ThrowIfAny(errors);
        return ServiceContext.Build($"{context.Name}: weights {Operations.Weights.Describe(Weights)}", [DefaultRoute.Write(context, Weights)]);
    }
}

/// <summary>Routes all of the service's mesh traffic to one subset: <see cref="SetWeights"/> with that subset at 100.</summary>
public sealed record RouteAllTo(ObjectRef Service, string Subset) : ITrafficOperation
{
    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Subset))
        {
            errors.Add(new FieldError("subset", "a subset is required"));
        }
        else if (!context.DefinedSubsets.Contains(Subset))
        {
            errors.Add(new FieldError("subset", $"subset \"{Subset}\" is not defined in a DestinationRule for this host; requests routed to it would fail with 503"));
        }
        ServiceContext.ThrowIfAny(errors);
        return ServiceContext.Build($"{context.Name}: all traffic to {Subset}", [DefaultRoute.Write(context, new Dictionary<string, int> { [Subset] = 100 })]);
    }
}

/// <summary>Editing the catch-all rule of the mesh VirtualService.</summary>
internal static class DefaultRoute
{
    public const string DefaultRuleName = "default";

    /// <summary>Index of the rule Istio applies to "everyone else": the first rule with no match (or an empty match entry).</summary>
    public static int CatchAllIndex(JsonArray http) =>
        http.Select((rule, i) => (rule, i)).FirstOrDefault(p => IsCatchAll(p.rule as JsonObject), (null, -1)).Item2;

    /// <summary>Same reading as <see cref="HttpRouteView.IsCatchAll"/>, so operations and views agree on which rule is the default.</summary>
    public static bool IsCatchAll(JsonObject? rule) => rule is not null && HttpRouteView.From(rule, 0).IsCatchAll;

    public static ObjectChange Write(ServiceContext context, IReadOnlyDictionary<string, int> weights)
    {
        if (context.MeshVirtualService is not { } vs)
        {
            var spec = new JsonObject
            {
                ["hosts"] = new JsonArray(context.Name),
                ["http"] = new JsonArray(new JsonObject
                {
                    ["name"] = DefaultRuleName,
                    ["route"] = Weights.Destinations(weights, null, context, context.Namespace, context.HostFor(context.Namespace)),
                }),
            };
            var created = ServiceContext.NewObject(ResourceKind.VirtualService, context.Namespace, context.Name, spec);
            if (context.Snapshot.Find(ResourceKind.VirtualService, context.Namespace, context.Name) is not null)
            {
                throw new OperationException([new FieldError("service", $"no mesh VirtualService routes {context.Name}, and the name {context.Name} is taken by another VirtualService")]);
            }
            return new ObjectChange(new ObjectRef(ResourceKind.VirtualService, context.Namespace, context.Name), null, created);
        }

        var after = vs.Source.CloneRaw();
        var http = after.GetOrAddObject("spec")["http"] as JsonArray;
        if (http is null)
        {
            http = [];
            after["spec"]!["http"] = http;
        }
        var index = CatchAllIndex(http);
        if (index < 0)
        {
            http.Add(new JsonObject { ["name"] = DefaultRuleName });
            index = http.Count - 1;
        }
        var rule = (JsonObject)http[index]!;
        // A route replaces whatever the rule did instead (route, redirect, directResponse and delegate exclude each other).
        rule.Remove("redirect");
        rule.Remove("directResponse");
        rule.Remove("delegate");
        var spelling = context.HostSpelling(vs.Namespace, [rule.Arr("route"), .. ServiceContext.RoutesOf(vs.Source.Spec)]);
        rule["route"] = Weights.Destinations(weights, rule.Arr("route"), context, vs.Namespace, spelling);
        return new ObjectChange(vs.Source.Ref, vs.Source, after);
    }
}
