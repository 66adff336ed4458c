using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Starts routing for a service that has none: a DestinationRule with one subset per distinct value of
/// <paramref name="LabelKey"/> among its pods, and a mesh VirtualService that splits traffic the way Kubernetes
/// spreads it today (in proportion to each subset's ready pods), so setting up routing changes nothing for callers;
/// moving traffic is the next, separate change. Both objects are named after the service.
/// </summary>
public sealed record CreateRouting(ObjectRef Service, string LabelKey = "version") : ITrafficOperation
{
    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(LabelKey))
        {
            errors.Add(new FieldError("labelKey", "a label key is required"));
            ServiceContext.ThrowIfAny(errors);
        }
        if (!context.DestinationRules.IsEmpty)
        {
            errors.Add(new FieldError("service", $"{context.Name} already has DestinationRule {context.DestinationRules[0].Name}"));
        }
        if (context.Index.VirtualServicesForHost(context.Fqdn).FirstOrDefault() is { } vs)
        {
            errors.Add(new FieldError("service", $"{context.Name} already has VirtualService {vs.Name}"));
        }
        if (context.DestinationRules.IsEmpty && snapshot.Find(ResourceKind.DestinationRule, context.Namespace, context.Name) is not null)
        {
            errors.Add(new FieldError("service", $"the name {context.Name} is taken by another DestinationRule"));
        }
        if (snapshot.Find(ResourceKind.VirtualService, context.Namespace, context.Name) is not null && !errors.Any(e => e.Message.Contains("VirtualService", StringComparison.Ordinal)))
        {
            errors.Add(new FieldError("service", $"the name {context.Name} is taken by another VirtualService"));
        }
        var pods = context.Index.PodsOf(context.Service)
            .Select(p => (Value: p.Labels.TryGetValue(LabelKey, out var v) ? v : null, Ready: MeshIndex.IsReady(p)))
            .Where(p => p.Value is not null)
            .ToList();
        var values = pods.Select(p => p.Value!).Distinct().Order(StringComparer.Ordinal).ToList();
        if (values.Count == 0)
        {
            errors.Add(new FieldError("labelKey", $"no pod of {context.Name} has the label \"{LabelKey}\""));
        }
        ServiceContext.ThrowIfAny(errors);

        var used = new HashSet<string>();
        var subsets = new JsonArray();
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = Unique(SubsetName(value), used);
            names.Add(name);
            subsets.Add(new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [LabelKey] = value } });
        }
        // Endpoints hold only ready pods, so that is how traffic is spread now; with none ready, by all pods.
        var anyReady = pods.Any(p => p.Ready);
        var weights = Weights.Proportional(names, [.. values.Select(v => pods.Count(p => p.Value == v && (p.Ready || !anyReady)))]);
        var dr = ServiceContext.NewObject(ResourceKind.DestinationRule, context.Namespace, context.Name,
            new JsonObject { ["host"] = context.Name, ["subsets"] = subsets });
        var virtualService = ServiceContext.NewObject(ResourceKind.VirtualService, context.Namespace, context.Name, new JsonObject
        {
            ["hosts"] = new JsonArray(context.Name),
            ["http"] = new JsonArray(new JsonObject
            {
                ["name"] = DefaultRoute.DefaultRuleName,
                ["route"] = new JsonArray([.. weights.Where(w => w.Value > 0).Select(w => (JsonNode)Destination(context.Name, w.Key, weights.Count(x => x.Value > 0) > 1 ? w.Value : null))]),
            }),
        });
        // The DestinationRule comes first: a subset must exist before a route points at it.
        return ServiceContext.Build($"{context.Name}: created routing (subsets {string.Join(", ", names)}; traffic as now: {Weights.Describe(weights)})",
        [
            new ObjectChange(new ObjectRef(ResourceKind.DestinationRule, context.Namespace, context.Name), null, dr),
            new ObjectChange(new ObjectRef(ResourceKind.VirtualService, context.Namespace, context.Name), null, virtualService),
        ]);
    }

    private static JsonObject Destination(string host, string subset, int? weight)
    {
        var entry = new JsonObject { ["destination"] = new JsonObject { ["host"] = host, ["subset"] = subset } };
        if (weight is not null)
        {
            entry["weight"] = weight;
        }
        return entry;
    }

    /// <summary>A label value as a DNS label: lowercase, other characters as '-', trimmed, at most 63 characters.</summary>
    internal static string SubsetName(string value)
    {
        var builder = new StringBuilder();
        foreach (var ch in value.ToLowerInvariant())
        {
            builder.Append(ch is >= 'a' and <= 'z' or >= '0' and <= '9' ? ch : '-');
        }
        var name = builder.ToString().Trim('-');
        if (name.Length > 63)
        {
            name = name[..63].TrimEnd('-');
        }
        return name.Length == 0 ? "subset" : name;
    }

    private static string Unique(string name, HashSet<string> used)
    {
        var candidate = name;
        for (var n = 2; !used.Add(candidate); n++)
        {
            var suffix = $"-{n}";
            candidate = (name.Length + suffix.Length > 63 ? name[..(63 - suffix.Length)] : name) + suffix;
        }
        return candidate;
    }
}
