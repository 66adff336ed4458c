using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Blue/green at the gateway. Among the gateway-bound VirtualServices whose catch-all rule sends all traffic to one
/// subset of the service, the preview ones (see <see cref="IsPreview"/>) are told from the live ones. The switch sends
/// every live one to <paramref name="TargetSubset"/> and every preview one that served it to the subset that was live,
/// in one plan, so switching back restores the start.
/// </summary>
public sealed record SwitchBlueGreen(ObjectRef Service, string TargetSubset) : ITrafficOperation
{
    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        if (!context.DefinedSubsets.Contains(TargetSubset))
        {
            errors.Add(new FieldError("targetSubset", $"subset \"{TargetSubset}\" is not defined in a DestinationRule for {context.Name}"));
        }
        var candidates = context.Index.VirtualServicesRoutingTo(context.Fqdn)
            .Where(vs => vs.Gateways.Any(g => g != "mesh"))
            .Select(vs => (Vs: vs, Served: ServedSubset(vs, context)))
            .Where(p => p.Served is not null)
            .OrderBy(p => p.Vs.Namespace, StringComparer.Ordinal).ThenBy(p => p.Vs.Name, StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0)
        {
            errors.Add(new FieldError("service", $"no gateway-bound VirtualService sends all its traffic to one subset of {context.Name}; there is nothing to switch"));
        }
        ServiceContext.ThrowIfAny(errors);

        var live = candidates.Where(p => !IsPreview(p.Vs)).ToList();
        if (live.Count == 0)
        {
            throw new OperationException([new FieldError("service", $"every gateway VirtualService of {context.Name} looks like a preview; mark the live one with the annotation {RoleAnnotation}: live")]);
        }
        var liveSubsets = live.Select(p => p.Served!.Value.Subset).Distinct().ToList();
        if (liveSubsets.Count > 1)
        {
            throw new OperationException([new FieldError("service", $"the live gateway VirtualServices serve several subsets ({string.Join(", ", liveSubsets)}); switch them one by one")]);
        }
        if (liveSubsets[0] == TargetSubset)
        {
            throw new OperationException([new FieldError("targetSubset", $"{TargetSubset} is already live")]);
        }
        var preview = candidates.Where(p => IsPreview(p.Vs) && p.Served!.Value.Subset == TargetSubset).ToList();
        var previous = liveSubsets[0];

        var changes = live.Select(p => Retarget(p.Vs, p.Served!.Value.Rule, p.Served.Value.Destination, TargetSubset, context))
            .Concat(preview.Select(p => Retarget(p.Vs, p.Served!.Value.Rule, p.Served.Value.Destination, previous, context)))
            .ToList();
        var words = string.Join(", ", live.Select(p => $"{p.Vs.Name} → {TargetSubset}").Concat(preview.Select(p => $"{p.Vs.Name} → {previous}")));
        return ServiceContext.Build($"{context.Name}: blue/green switch to {TargetSubset} ({words})", changes);
    }

    /// <summary>Marks a gateway VirtualService's role explicitly (<c>live</c> or <c>preview</c>).</summary>
    public const string RoleAnnotation = "meshdashboard.io/blue-green";

    private static readonly HashSet<string> PreviewWords = ["preview", "test", "testing", "staging", "stage", "beta", "next"];

    /// <summary>
    /// Whether a gateway VirtualService is the preview side: by the role annotation if set, else by its catch-all rule's
    /// name, else by a word such as "preview", "test" or "staging" in its name or hosts (<c>test.myapp.example.com</c>).
    /// </summary>
    public static bool IsPreview(VirtualServiceView vs)
    {
        if (vs.Source.Annotations.TryGetValue(RoleAnnotation, out var role))
        {
            return role == "preview";
        }
        var ruleName = vs.Http.FirstOrDefault(r => r.IsCatchAll)?.Name;
        if (ruleName is "live")
        {
            return false;
        }
        if (ruleName is not null && PreviewWords.Contains(ruleName))
        {
            return true;
        }
        return vs.Hosts.Append(vs.Name).SelectMany(h => h.Split('.', '-')).Any(PreviewWords.Contains);
    }

    /// <summary>The subset the VirtualService's catch-all rule sends all traffic to, if it does.</summary>
    private static (int Rule, int Destination, string Subset)? ServedSubset(VirtualServiceView vs, ServiceContext context)
    {
        var rule = vs.Http.FirstOrDefault(r => r.IsCatchAll);
        if (rule is null || rule.HasRedirect || rule.HasDirectResponse || rule.HasDelegate || rule.Destinations.IsEmpty)
        {
            return null;
        }
        var percentages = rule.EffectivePercentages;
        for (var d = 0; d < rule.Destinations.Length; d++)
        {
            var destination = rule.Destinations[d];
            if (percentages[d] >= 100 && destination.Subset is { } subset && context.IsThisService(destination.Host, vs.Namespace))
            {
                return (rule.Index, d, subset);
            }
        }
        return null;
    }

    /// <summary>
    /// Sends the rule's traffic to another subset, changing as little as possible. When the route already has a
    /// (weight-0) destination for that subset, the two destinations swap weights, so each keeps its own port, headers
    /// and place. Otherwise the serving destination's subset is changed in place, its host spelling, port and weight
    /// kept. Either way switching back gives back the object as it was.
    /// </summary>
    private static ObjectChange Retarget(VirtualServiceView vs, int ruleIndex, int destinationIndex, string subset, ServiceContext context)
    {
        var raw = vs.Source.CloneRaw();
        var route = raw["spec"]!["http"]![ruleIndex]!["route"]!.AsArray();
        var serving = (JsonObject)route[destinationIndex]!;
        var standby = route.OfType<JsonObject>().FirstOrDefault(e =>
            e.Obj("destination").Str("subset") == subset && context.IsThisService(e.Obj("destination").Str("host") ?? "", vs.Namespace));
        if (standby is null)
        {
            serving.Obj("destination")!["subset"] = subset;
        }
        else
        {
            var servingWeight = serving["weight"]?.DeepClone();
            var standbyWeight = standby["weight"]?.DeepClone();
            SetOrRemove(standby, "weight", servingWeight);
            SetOrRemove(serving, "weight", standbyWeight);
        }
        return new ObjectChange(vs.Source.Ref, vs.Source, raw);
    }

    private static void SetOrRemove(JsonObject obj, string property, JsonNode? value)
    {
        if (value is null)
        {
            obj.Remove(property);
        }
        else
        {
            obj[property] = value;
        }
    }
}
